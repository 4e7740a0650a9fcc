/**
 * What `npm run diagnose` runs, read from package.json's `diagnose` script, so that the tests run the
 * tool exactly the way a user does and a stale path there fails them.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";

export const repoRoot = resolve(__dirname, "..", "..", "..");

/** node's arguments for `npm run diagnose` (flags, then the entry as an absolute path). */
export function diagnoseNodeArgs(): string[] {
  const manifest = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { scripts?: Record<string, string> };
  const script = manifest.scripts?.["diagnose"];
  const [command, ...args] = (script ?? "").split(/\s+/).filter(Boolean);
  if (command !== "node" || args.length === 0) {
    throw new Error(`package.json's "diagnose" script should be "node [flags] <entry>", not ${JSON.stringify(script)}`);
  }
  return args.map((arg) => (arg.startsWith("-") ? arg : join(repoRoot, arg)));
}

/** The entry file of `npm run diagnose` (absolute). */
export function diagnoseEntry(): string {
  return diagnoseNodeArgs().at(-1) ?? "";
}
