import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** apps/frontend */
export const frontendDir = join(import.meta.dirname, "..", "..");
export const repoRoot = join(frontendDir, "..", "..");
export const standaloneServer = join(frontendDir, ".next", "standalone", "apps", "frontend", "server.js");
export const backendDir = join(repoRoot, "apps", "backend");
export const backendServer = join(backendDir, "dist", "server.js");

/** Newest modification time of the files under `paths` (directories walked, node_modules skipped). */
function newest(paths: string[]): number {
  let latest = 0;
  const visit = (path: string): void => {
    if (!existsSync(path)) return;
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path)) if (entry !== "node_modules" && entry !== ".next") visit(join(path, entry));
    } else latest = Math.max(latest, stat.mtimeMs);
  };
  paths.forEach(visit);
  return latest;
}

/** True when the process that took `lock` is gone (killed test run): its lock can be broken. */
function lockIsStale(lock: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(join(lock, "pid"), "utf8"));
  } catch {
    // just taken (pid not written yet) or just released
    return false;
  }
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/** Runs `build` unless `output` is newer than every input; one build at a time across test files. */
function buildOnce(name: string, output: string, inputs: string[], command: string[]): void {
  const lock = join(repoRoot, ".test-output", `build-${name}.lock`);
  mkdirSync(join(repoRoot, ".test-output"), { recursive: true });
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, "pid"), String(process.pid));
      break;
    } catch {
      // another test file is building it: wait, then use its result (a dead owner's lock is broken)
      if (Date.now() > deadline || lockIsStale(lock)) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1_000);
    }
  }
  try {
    if (existsSync(output) && statSync(output).mtimeMs >= newest(inputs)) return;
    process.stderr.write(`[frontend e2e] building ${name} (${command.join(" ")}) ...\n`);
    execFileSync("nice", ["-n", "10", ...command], {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const out = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`building ${name} failed:\n${out.stdout?.toString().slice(-4000) ?? ""}\n${out.stderr?.toString().slice(-4000) ?? ""}`, {
      cause: error,
    });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** The standalone Next.js build the image ships (npm run build -w apps/frontend), rebuilt when sources changed. */
export function ensureFrontendBuilt(): void {
  buildOnce(
    "frontend",
    standaloneServer,
    ["src", "scripts", "next.config.ts", "package.json", "tsconfig.json"].map((f) => join(frontendDir, f)),
    ["npm", "run", "build", "-w", "apps/frontend"],
  );
}

/** The backend's compiled server (npm run build -w apps/backend), rebuilt when sources changed. */
export function ensureBackendBuilt(): void {
  buildOnce("backend", backendServer, [join(backendDir, "src"), join(backendDir, "package.json")], ["npm", "run", "build", "-w", "apps/backend"]);
}
