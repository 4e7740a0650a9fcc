/**
 * The real Pulumi engine for a suite: the binaries that pulumi-engine.sh builds (found with `--path`,
 * never built here), a throwaway copy of a Pulumi project to run the stack from, a local file backend
 * and PULUMI_HOME in a temp dir (its plugin cache filled by `--install-plugins`), so no Pulumi state is
 * ever written into the project.
 */
import { execFile, execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** This package's CLI entry: builds the engine, prints its PATH entry, installs the providers. */
export const engineScript = fileURLToPath(new URL("../pulumi-engine.sh", import.meta.url));

export const buildHint =
  "the Pulumi engine is not built: run `bash packages/pulumi-engine/pulumi-engine.sh` (cold: tens of minutes)";

/**
 * PATH entries of the built engine, or undefined when pulumi-engine.sh has not built it. Waits while a
 * build runs (CI starts the tests beside the cold build); the script says so on stderr, passed through.
 */
export function enginePath(): string | undefined {
  const run = spawnSync("bash", [engineScript, "--path"], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  return run.status === 0 ? run.stdout.trim() : undefined;
}

/** What runs under the engine for a project, by pulumi-engine.sh --versions. */
export interface EngineVersions {
  /** the CLI and engine */
  readonly pulumi: string;
  /** the version of the Kubernetes provider code that runs (the only build the Go module proxy serves) */
  readonly kubernetesBinary: string;
  /** the version the project's @pulumi/kubernetes asks for, under which that binary is installed */
  readonly kubernetesRequested: string;
}

export function engineVersions(projectDir: string): EngineVersions {
  const out = execFileSync("bash", [engineScript, "--versions"], {
    encoding: "utf8",
    env: { ...process.env, PULUMI_ENGINE_PROJECT: projectDir },
  });
  const values = new Map(out.split("\n").map((line) => line.split("=", 2) as [string, string]));
  const value = (key: string): string => {
    const found = values.get(key)?.trim();
    if (!found) throw new Error(`${engineScript} --versions printed no ${key}:\n${out}`);
    return found;
  };
  return { pulumi: value("pulumi"), kubernetesBinary: value("kubernetes-binary"), kubernetesRequested: value("kubernetes-requested") };
}

/** One line for a suite's output: which provider binaries run, and what the program asks for. */
export function describeVersions(versions: EngineVersions): string {
  const kubernetes =
    versions.kubernetesBinary === versions.kubernetesRequested
      ? `kubernetes provider ${versions.kubernetesBinary}`
      : `kubernetes provider binary ${versions.kubernetesBinary} (the only build the Go module proxy serves), installed as ` +
        `${versions.kubernetesRequested}, the version @pulumi/kubernetes requests: provider fixes after ${versions.kubernetesBinary} are not exercised`;
  return `[pulumi-engine] pulumi ${versions.pulumi}; ${kubernetes}; random and docker: this repository's stand-ins`;
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
function checkoutFiles(projectDir: string): string[] {
  const out = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: projectDir,
    maxBuffer: 64 * 1024 * 1024,
  });
  return out.toString("utf8").split("\0").filter(Boolean);
}

export interface WorkspaceOptions {
  /** the Pulumi project to copy: a git checkout whose node_modules holds the program's dependencies */
  readonly projectDir: string;
  /** the engine's PATH entries, from {@link enginePath} */
  readonly pathEntries: string;
  /** the stack name (default "engine") */
  readonly stack?: string;
}

/** A temp copy of the project (its files as git sees them, node_modules linked), a file backend, a fresh stack. */
export function createWorkspace({ projectDir, pathEntries, stack = "engine" }: WorkspaceOptions): Workspace {
  const root = mkdtempSync(join(tmpdir(), "pulumi-engine-suite-"));
  const dir = join(root, "repo");
  for (const file of checkoutFiles(projectDir)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    try {
      cpSync(join(projectDir, file), join(dir, file));
    } catch {
      // a file git lists but the work tree no longer has (deleted, not yet committed)
    }
  }
  symlinkSync(join(projectDir, "node_modules"), join(dir, "node_modules"));
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
  execFileSync("bash", [engineScript, "--install-plugins"], {
    env: { ...env, PULUMI_ENGINE_PROJECT: projectDir },
    stdio: ["ignore", "ignore", "pipe"],
  });

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
