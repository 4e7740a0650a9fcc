/**
 * The real Pulumi engine for the engine suite: the binaries that scripts/pulumi-engine.sh builds (found
 * with `--path`, never built here), a throwaway copy of the repository to run the stack from, a local
 * file backend and PULUMI_HOME in a temp dir (its plugin cache filled by `--install-plugins`), so no
 * Pulumi state is ever written into the repository.
 */
import { execFile, execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";

export const repoRoot = resolve(__dirname, "..", "..");

export const buildHint = "the Pulumi engine is not built: run `bash scripts/pulumi-engine.sh` (cold: tens of minutes)";

/** PATH entries of the built engine, or undefined when scripts/pulumi-engine.sh has not built it. */
export function enginePath(): string | undefined {
  const run = spawnSync("bash", [join(repoRoot, "scripts", "pulumi-engine.sh"), "--path"], { encoding: "utf8" });
  return run.status === 0 ? run.stdout.trim() : undefined;
}

export interface PulumiRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface Workspace {
  /** the copy of the repository the stack runs from */
  readonly dir: string;
  readonly stack: string;
  /** runs `pulumi <args>` in the copy, with the engine's environment; never throws for a non-zero exit */
  pulumi(args: readonly string[], timeoutMs?: number): Promise<PulumiRun>;
  /** like pulumi(), but throws with the output when the command fails */
  pulumiOk(args: readonly string[], timeoutMs?: number): Promise<string>;
  destroy(): void;
}

/** Files of the checkout as git sees them (tracked and untracked, not ignored). */
function checkoutFiles(): string[] {
  const out = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: repoRoot,
    maxBuffer: 64 * 1024 * 1024,
  });
  return out.toString("utf8").split("\0").filter(Boolean);
}

/** A temp copy of the repository (node_modules linked), a file backend, a fresh stack. */
export function createWorkspace(pathEntries: string, stack = "engine"): Workspace {
  const root = mkdtempSync(join(tmpdir(), "pulumi-engine-suite-"));
  const dir = join(root, "repo");
  for (const file of checkoutFiles()) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    try {
      cpSync(join(repoRoot, file), join(dir, file));
    } catch {
      // a file git lists but the work tree no longer has (deleted, not yet committed)
    }
  }
  symlinkSync(join(repoRoot, "node_modules"), join(dir, "node_modules"));
  mkdirSync(join(root, "state"));
  mkdirSync(join(root, "home"));

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${pathEntries}:${process.env["PATH"] ?? ""}`,
    PULUMI_HOME: join(root, "home"),
    PULUMI_BACKEND_URL: `file://${join(root, "state")}`,
    PULUMI_CONFIG_PASSPHRASE: `engine-suite-${process.pid}`,
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_SKIP_CONFIRMATIONS: "true",
    // providers come from the plugin cache by the version the SDKs ask for, as in a real installation
    PULUMI_IGNORE_AMBIENT_PLUGINS: "true",
    NO_COLOR: "1",
  };
  delete env["PULUMI_ACCESS_TOKEN"];
  execFileSync("bash", [join(repoRoot, "scripts", "pulumi-engine.sh"), "--install-plugins"], { env, stdio: ["ignore", "ignore", "pipe"] });

  const pulumi = (args: readonly string[], timeoutMs = 900_000): Promise<PulumiRun> =>
    new Promise((done) => {
      execFile(
        "pulumi",
        [...args, "--non-interactive"],
        { cwd: dir, env, timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024 },
        (error, stdout, stderr) => {
          const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
          done({ code, stdout, stderr: stderr + (error && !stderr ? error.message : "") });
        },
      );
    });
  const pulumiOk = async (args: readonly string[], timeoutMs?: number): Promise<string> => {
    const run = await pulumi(args, timeoutMs);
    if (run.code !== 0) {
      throw new Error(`pulumi ${args.join(" ")} failed (exit ${run.code}):\n${run.stdout.slice(-6000)}\n${run.stderr.slice(-6000)}`);
    }
    return run.stdout;
  };
  return {
    dir,
    stack,
    pulumi,
    pulumiOk,
    destroy: () => rmSync(root, { recursive: true, force: true }),
  };
}
