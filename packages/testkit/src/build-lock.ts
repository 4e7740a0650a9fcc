import { execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** What {@link runBesideABuild} saw. */
export interface BesideABuild {
  /** the command's stderr (where the scripts say that they wait) */
  readonly stderr: string;
  /** whether the stand-in build had ended (and let go of the lock) when the command returned */
  readonly returnedAfterTheBuild: boolean;
}

/**
 * Runs `bash script args` while a stand-in build holds `lockFile` the way the Go builds of
 * cluster.sh and pulumi-engine.sh do (flock, exclusive), and tells whether the command waited for that
 * build to end. The stand-in holds the lock for 2 s before it marks its end: a command that does not
 * wait returns long before.
 */
export async function runBesideABuild(lockFile: string, script: string, args: string[], env: NodeJS.ProcessEnv): Promise<BesideABuild> {
  const dir = mkdtempSync(join(tmpdir(), "build-lock-"));
  const ended = join(dir, "build-ended");
  const build = spawn("flock", [lockFile, "sh", "-c", 'echo locked; sleep 2; touch "$0"', ended], { stdio: ["ignore", "pipe", "inherit"] });
  try {
    await new Promise<void>((resolve, reject) => {
      build.stdout.once("data", () => resolve());
      build.once("error", reject);
      build.once("exit", (code) => reject(new Error(`the stand-in build exited (${code}) before it held ${lockFile}`)));
    });
    const stderr = await new Promise<string>((resolve) => {
      execFile("bash", [script, ...args], { env, encoding: "utf8", timeout: 60_000 }, (_error, _stdout, err) => resolve(err));
    });
    return { stderr, returnedAfterTheBuild: existsSync(ended) };
  } finally {
    build.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}
