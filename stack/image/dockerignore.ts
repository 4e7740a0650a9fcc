/**
 * .dockerignore semantics, as Docker's builder applies them: patterns relative to the context root,
 * `*` / `?` / `[...]` within one path segment, `**` across segments, `!` re-includes, the last matching
 * pattern wins, and a pattern that matches a directory excludes everything below it. The one
 * implementation in this repository: the image tags (context-hash.ts), the engine suite's docker
 * stand-in provider (packages/pulumi-engine) and the images suite all use it. It imports only node:
 * modules, so Node's own type stripping can load it (the stand-in runs that way).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";

export interface IgnoreRule {
  /** the pattern as written (after trimming, without its leading "!") */
  readonly pattern: string;
  /** true for a "!pattern" that re-includes */
  readonly negate: boolean;
  readonly regex: RegExp;
  /** one matcher per path segment ("**" where the pattern crosses segments), for {@link couldReinclude} */
  readonly segments: readonly (RegExp | "**")[];
}

/** Turns one glob (Docker / Go filepath.Match plus `**`) into an anchored regular expression. */
export function globToRegExp(glob: string): RegExp {
  let out = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === "*") {
      if (glob[i + 1] === "*") {
        i++;
        if (glob[i + 1] === "/") {
          i++;
          out += "(?:.*/)?";
        } else {
          out += ".*";
        }
      } else {
        out += "[^/]*";
      }
    } else if (c === "?") {
      out += "[^/]";
    } else if (c === "[") {
      const end = glob.indexOf("]", i + 2);
      if (end === -1) {
        out += "\\[";
      } else {
        let body = glob.slice(i + 1, end);
        if (body.startsWith("!") || body.startsWith("^")) body = `^${body.slice(1)}`;
        out += `[${body.replace(/\\/g, "\\\\")}]`;
        i = end;
      }
    } else if (c === "\\" && i + 1 < glob.length) {
      i++;
      out += escapeRegExp(glob[i] as string);
    } else {
      out += escapeRegExp(c);
    }
  }
  return new RegExp(`^${out}$`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/** Cleans a pattern like Docker does: no leading "/" or "./", no trailing "/", no "//" or "/./". */
export function cleanPattern(pattern: string): string {
  let p = pattern.trim().replace(/\/+/g, "/").replace(/(^|\/)\.(?=\/|$)/g, "$1");
  p = p.replace(/^\/+/, "").replace(/\/+$/, "").replace(/\/+/g, "/");
  return p === "" ? "." : p;
}

/** Parses the text of a .dockerignore file. */
export function parseDockerignore(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === "" || line.startsWith("#")) continue;
    const negate = line.startsWith("!");
    const pattern = cleanPattern(negate ? line.slice(1) : line);
    if (pattern === ".") continue;
    const segments = pattern.split("/").map((segment) => (segment.includes("**") ? ("**" as const) : globToRegExp(segment)));
    rules.push({ pattern, negate, regex: globToRegExp(pattern), segments });
  }
  return rules;
}

/** True when `regex` matches the path or one of its parent directories. */
export function matchesOrParentMatches(regex: RegExp, relPath: string): boolean {
  if (regex.test(relPath)) return true;
  const parts = relPath.split("/");
  for (let n = parts.length - 1; n > 0; n--) {
    if (regex.test(parts.slice(0, n).join("/"))) return true;
  }
  return false;
}

/** Whether a context-relative path ("apps/backend/src/x.ts") is left out of the build context. */
export function isIgnored(rules: readonly IgnoreRule[], relPath: string): boolean {
  let ignored = false;
  for (const rule of rules) {
    if (matchesOrParentMatches(rule.regex, relPath)) ignored = !rule.negate;
  }
  return ignored;
}

/**
 * Whether a "!" rule could re-include something below the ignored directory `dirRel`, so that a walk
 * must still enter it. Only a negated pattern that reaches deeper than the directory can: one whose
 * first segments match the directory's and that has more segments, or a `**` among them. A pattern
 * that names the directory itself or a parent of it (`!apps/frontend` for `apps/frontend/node_modules`)
 * matches everything inside exactly as it matches the directory, and the directory is ignored all
 * the same, so nothing inside comes back: Docker skips it too (it enters an excluded directory only
 * for an exception pattern that starts with that directory's path). Errs on the side of entering
 * (which costs time, never correctness).
 */
export function couldReinclude(rules: readonly IgnoreRule[], dirRel: string): boolean {
  const dir = dirRel.split("/");
  return rules.some((rule) => {
    if (!rule.negate) return false;
    for (let i = 0; i < Math.min(dir.length, rule.segments.length); i++) {
      const segment = rule.segments[i] as RegExp | "**";
      if (segment === "**") return true;
      if (!segment.test(dir[i] as string)) return false;
    }
    return rule.segments.length > dir.length;
  });
}

/** Every file of the context that the build would send (after the ignore rules), relative, "/"-separated, sorted. */
export function listContextFiles(contextDir: string, rules: readonly IgnoreRule[]): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const abs = join(dir, entry.name);
      const rel = relative(contextDir, abs).split(sep).join("/");
      if (entry.isDirectory()) {
        // an ignored directory is skipped whole unless a "!" rule could bring something back from it
        // (an allowlist .dockerignore starts with "*": node_modules must not be walked for nothing)
        if (isIgnored(rules, rel) && !couldReinclude(rules, rel)) continue;
        walk(abs);
      } else if (!isIgnored(rules, rel)) {
        files.push(rel);
      }
    }
  };
  walk(contextDir);
  return files.sort();
}

/**
 * What a build of `dockerfile` (relative to the context) sends to the daemon: the context's files
 * after the ignore rules that build uses ({@link loadIgnoreRules}). Also what the engine suite's docker
 * stand-in provider tars up, and what the images suite copies.
 */
export function buildContextFiles(contextDir: string, dockerfile: string): string[] {
  return listContextFiles(contextDir, loadIgnoreRules(contextDir, dockerfile));
}

/**
 * The ignore rules a build uses: `<dockerfile>.dockerignore` when it exists (BuildKit's per-Dockerfile
 * file), else `<context>/.dockerignore`, else none.
 */
export function loadIgnoreRules(contextDir: string, dockerfile: string): IgnoreRule[] {
  for (const candidate of [`${join(contextDir, dockerfile)}.dockerignore`, join(contextDir, ".dockerignore")]) {
    if (existsSync(candidate)) return parseDockerignore(readFileSync(candidate, "utf8"));
  }
  return [];
}
