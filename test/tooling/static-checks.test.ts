/**
 * The repository type-checks (`npm run typecheck`: strict tsc over the stack, every workspace and the
 * tests) and lints clean (`npm run lint`). Part of `npm test`, so the README's one test command is what CI
 * runs, with a single `npm ci` before it.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(__dirname, "..", "..");

/** Runs `npm run SCRIPT` at the repository root; resolves with its exit code and what it printed. */
function npmRun(script: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["run", "--silent", script], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

describe("static checks", () => {
  it.each(["typecheck", "lint"])("npm run %s passes", async (script) => {
    const { code, output } = await npmRun(script);
    // on a failure the message is the tool's own report: file, line, rule
    expect(code, `npm run ${script} failed:\n${output.slice(-8000)}`).toBe(0);
  }, 15 * 60_000);
});
