/**
 * The files of a build context, filtered by its .dockerignore the way the Docker CLI does before it
 * sends the context to the daemon: patterns are matched against slash-separated paths relative to the
 * context, `**` spans any number of directories, a later `!pattern` re-includes, and an excluded
 * directory excludes everything below it.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

interface Rule {
  readonly negate: boolean;
  readonly regex: RegExp;
}

function globToRegExp(pattern: string): RegExp {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? "";
    if (c === "*" && pattern[i + 1] === "*") {
      // "**/" matches zero or more directories, a trailing "**" anything
      if (pattern[i + 2] === "/") {
        source += "(?:.*/)?";
        i += 2;
      } else {
        source += ".*";
        i += 1;
      }
    } else if (c === "*") source += "[^/]*";
    else if (c === "?") source += "[^/]";
    else source += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

export function parseDockerignore(text: string): Rule[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => {
      const negate = line.startsWith("!");
      const pattern = (negate ? line.slice(1) : line).trim().replace(/^\/+/, "").replace(/\/+$/, "");
      return { negate, regex: globToRegExp(pattern) };
    });
}

/** true when the path (relative, slash-separated) is excluded: the last matching rule wins. */
export function isIgnored(rules: readonly Rule[], path: string): boolean {
  let ignored = false;
  for (const rule of rules) if (rule.regex.test(path)) ignored = !rule.negate;
  return ignored;
}

/** Every file and symlink of the context that the daemon would receive, relative to `context`. */
export function contextFiles(context: string): string[] {
  const ignoreFile = join(context, ".dockerignore");
  const rules = existsSync(ignoreFile) ? parseDockerignore(readFileSync(ignoreFile, "utf8")) : [];
  const files: string[] = [];
  const walk = (relativeDir: string): void => {
    for (const entry of readdirSync(join(context, relativeDir), { withFileTypes: true })) {
      const path = relativeDir ? `${relativeDir}/${entry.name}` : entry.name;
      if (isIgnored(rules, path)) continue;
      if (entry.isDirectory()) walk(path);
      else files.push(path);
    }
  };
  walk("");
  return files.sort();
}

/** Copies what the daemon would receive (plus the Dockerfiles and .dockerignore) into `destination`. */
export function copyContext(context: string, destination: string): string[] {
  const files = contextFiles(context);
  for (const file of files) {
    mkdirSync(dirname(join(destination, file)), { recursive: true });
    cpSync(join(context, file), join(destination, file), { preserveTimestamps: true, verbatimSymlinks: true });
  }
  return files;
}
