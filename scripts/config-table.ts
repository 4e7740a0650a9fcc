/**
 * `npm run docs:config`: writes what is generated from the table of config keys (stack/config/keys.ts), so
 * that each key is declared once:
 *   - Pulumi.yaml's `config:` block (types, defaults, descriptions: what `pulumi config` checks and shows),
 *   - the README's table of keys (between the config-table markers),
 *   - docs/aiops.md's table of the aiops* keys (between the aiops-config-table markers).
 * The pulumi, docs and aiops suites fail when a committed file differs from what this renders.
 *
 *   npm run docs:config              # rewrite the three files
 *   npm run docs:config -- --check   # exit 1, naming the stale files, when they differ
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { stringify } from "yaml";
import { CONFIG_KEYS, CONFIG_KEY_NAMES, PROJECT, allowedText, type ConfigKey, type KeySpec } from "../stack/config/keys";

export const repoRoot = resolve(__dirname, "..");

/** The line from which Pulumi.yaml is generated (to its end); what is above it is written by hand. */
export const PULUMI_YAML_MARKER = "# config: generated from stack/config/keys.ts by `npm run docs:config`; edit the table there, not this block.";
export const README_START = "<!-- config-table:start (generated from stack/config/keys.ts by `npm run docs:config`) -->";
export const README_END = "<!-- config-table:end -->";
export const AIOPS_START = "<!-- aiops-config-table:start (generated from stack/config/keys.ts by `npm run docs:config`) -->";
export const AIOPS_END = "<!-- aiops-config-table:end -->";

/** The command that stores a secret key, as the descriptions give it. */
function secretHint(key: ConfigKey, spec: KeySpec): string {
  return "secret" in spec && spec.secret ? ` Set it with pulumi config set --secret ${key} ${spec.secret.example}` : "";
}

function isSecret(spec: KeySpec): boolean {
  return "secret" in spec && spec.secret !== undefined;
}

/** Pulumi.yaml's description: the row's words, its allowed values, and for a secret the prefix and the set command. */
function pulumiDescription(key: ConfigKey, spec: KeySpec): string {
  const allowed = spec.type === "boolean" ? "" : allowedText(spec);
  const allowedPart = allowed === "" ? "" : ` Allowed: ${allowed}.`;
  return `${isSecret(spec) ? "Secret: " : ""}${spec.description}${allowedPart}${secretHint(key, spec)}`;
}

/** Pulumi.yaml's generated part: the marker, what the block means, and the `config:` block itself. */
export function renderPulumiConfig(): string {
  const config: Record<string, { type: string; default: string | number | boolean; description: string }> = {};
  for (const key of CONFIG_KEY_NAMES) {
    const spec: KeySpec = CONFIG_KEYS[key];
    config[key] = { type: spec.type, default: spec.default, description: pulumiDescription(key, spec) };
  }
  return [
    PULUMI_YAML_MARKER,
    `# Every key of the stack (\`${PROJECT}:<key>\`). Keys marked "Secret:" must be set with`,
    "# `pulumi config set --secret`; they are optional, so they cannot carry Pulumi's `secret: true`",
    "# (Pulumi refuses a default on a secret key), and the program refuses them when stored in plain text.",
    stringify({ config }, { lineWidth: 0 }).trimEnd(),
    "",
  ].join("\n");
}

/** Pulumi.yaml with its generated part replaced. */
export function renderPulumiYaml(current: string): string {
  const at = current.indexOf(`${PULUMI_YAML_MARKER}\n`);
  if (at < 0) throw new Error(`Pulumi.yaml lacks the line\n${PULUMI_YAML_MARKER}\nput it where the config block starts (it is generated from there to the end)`);
  return current.slice(0, at) + renderPulumiConfig();
}

const cell = (text: string): string => text.replaceAll("|", "\\|");
const code = (value: string | number | boolean): string => (value === "" ? '`""`' : `\`${String(value)}\``);

/** The README's table of every key. */
export function renderReadmeTable(): string {
  const rows = CONFIG_KEY_NAMES.map((key) => {
    const spec: KeySpec = CONFIG_KEYS[key];
    const allowed = spec.type === "string" && spec.oneOf ? spec.oneOf.map(code).join(", ") : allowedText(spec);
    return `| \`${PROJECT}:${key}\` | ${spec.type} | ${code(spec.default)} | ${cell(allowed)} | ${isSecret(spec) ? "yes" : ""} | ${cell(spec.description + secretHint(key, spec))} |`;
  });
  return ["| key | type | default | allowed | secret | description |", "|---|---|---|---|---|---|", ...rows].join("\n");
}

/** docs/aiops.md's table of the aiops* keys. */
export function renderAiopsTable(): string {
  const rows = CONFIG_KEY_NAMES.filter((key) => key.startsWith("aiops")).map((key) => {
    const spec: KeySpec = CONFIG_KEYS[key];
    const allowed = spec.type === "string" && spec.oneOf ? spec.oneOf.map(code).join(", ") : allowedText(spec);
    return `| \`${key}\` | ${code(spec.default)} | ${cell(allowed)} | ${cell(spec.description)} |`;
  });
  return ["| config key | default | allowed | meaning |", "|---|---|---|---|", ...rows].join("\n");
}

/** `text` with what lies between `start` and `end` replaced by `body`. */
export function replaceBetween(text: string, start: string, end: string, body: string, file: string): string {
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${file} lacks the markers ${start} ... ${end}; add them where the table belongs`);
  return `${text.slice(0, from + start.length)}\n${body}\n${text.slice(to)}`;
}

/** Each generated file: its path and its content as rendered from the current one. */
export function generatedFiles(root = repoRoot): { path: string; current: string; rendered: string }[] {
  const read = (path: string): string => readFileSync(join(root, path), "utf8");
  const files = [
    { path: "Pulumi.yaml", render: (text: string) => renderPulumiYaml(text) },
    { path: "README.md", render: (text: string) => replaceBetween(text, README_START, README_END, renderReadmeTable(), "README.md") },
    { path: "docs/aiops.md", render: (text: string) => replaceBetween(text, AIOPS_START, AIOPS_END, renderAiopsTable(), "docs/aiops.md") },
  ];
  return files.map(({ path, render }) => {
    const current = read(path);
    return { path, current, rendered: render(current) };
  });
}

if (require.main === module) {
  const stale = generatedFiles().filter((file) => file.current !== file.rendered);
  if (process.argv.includes("--check")) {
    if (stale.length > 0) {
      console.error(`stale (generated from stack/config/keys.ts): ${stale.map((f) => f.path).join(", ")}; run npm run docs:config`);
      process.exit(1);
    }
  } else {
    for (const file of stale) writeFileSync(join(repoRoot, file.path), file.rendered);
    console.log(stale.length === 0 ? "config docs are up to date" : `updated from stack/config/keys.ts: ${stale.map((f) => f.path).join(", ")}`);
  }
}
