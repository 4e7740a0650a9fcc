/** Looks inside a built image without starting its app: what files it holds, what its config says. */
import { type Engine, engineOutput } from "./container-engine.js";

export interface ImageContent {
  /** paths (under /app) of files that look like secrets or local config: .env*, .npmrc, keys */
  readonly secretLike: string[];
  /** package names found in /app/node_modules (top level and scoped) */
  readonly packages: string[];
  /** paths under /app that exist, out of the ones asked about */
  readonly present: string[];
}

// Runs inside the image (as uid 10001, read-only, no network): walks /app and reports.
const probe = `
const fs = require("fs"), path = require("path");
const ask = JSON.parse(process.argv[1]);
const secretLike = [];
const walk = (dir) => {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (/^\\.env(\\..*)?$|^\\.npmrc$|\\.(pem|key)$/.test(e.name)) secretLike.push(p);
  }
};
walk("/app");
const packages = [];
const nm = "/app/node_modules";
if (fs.existsSync(nm)) for (const n of fs.readdirSync(nm)) {
  if (n.startsWith("@")) for (const s of fs.readdirSync(path.join(nm, n))) packages.push(n + "/" + s);
  else if (!n.startsWith(".")) packages.push(n);
}
const present = ask.filter((p) => fs.existsSync(p));
console.log(JSON.stringify({ secretLike, packages, present }));
`;

export async function imageContent(engine: Engine, image: string, ask: readonly string[]): Promise<ImageContent> {
  const stdout = await engineOutput(engine, [
    "run",
    "--rm",
    "--network=none",
    "--read-only",
    "--user",
    "10001:10001",
    image,
    "node",
    "-e",
    probe,
    JSON.stringify(ask),
  ]);
  return JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as ImageContent;
}

/** Names of environment variables baked into the image that look like they carry a secret. */
export function secretLookingEnv(env: readonly string[] | null | undefined): string[] {
  return (env ?? [])
    .map((entry) => entry.split("=")[0] ?? "")
    .filter((name) => /SECRET|PASSWORD|API_KEY|TOKEN|DATABASE_URL/i.test(name));
}
