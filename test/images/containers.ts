/** Starting, probing and stopping the suite's containers. */
import { waitForHttp } from "@todo/testkit";
import { type Engine, engineOutput, hardenedRunFlags, runCommand } from "./container-engine.js";

export interface ContainerSpec {
  readonly name: string;
  readonly image: string;
  readonly env: Readonly<Record<string, string>>;
}

/** Starts a detached container with the hardened flags (read-only, /tmp tmpfs, no caps, uid 10001, host network). */
export async function startContainer(engine: Engine, spec: ContainerSpec): Promise<void> {
  await runCommand(engine.bin, ["rm", "-f", spec.name]);
  const env = Object.entries(spec.env).flatMap(([key, value]) => ["-e", `${key}=${value}`]);
  await engineOutput(engine, ["run", "-d", "--name", spec.name, ...hardenedRunFlags(engine), ...env, spec.image]);
}

export async function containerLogs(engine: Engine, name: string): Promise<string> {
  const result = await runCommand(engine.bin, ["logs", name]);
  return `${result.stdout}${result.stderr}`.slice(-6000);
}

/** Waits for `url` to answer `status`; on failure the error carries the container's state and logs. */
export async function waitForContainer(engine: Engine, name: string, url: string, status = 200, timeoutMs = 90_000): Promise<void> {
  try {
    await waitForHttp(url, { timeoutMs, status });
  } catch (error) {
    const state = await runCommand(engine.bin, ["inspect", "--format", "{{.State.Status}} (exit {{.State.ExitCode}})", name]);
    throw new Error(
      `${name} did not answer ${url} with ${status}: ${error instanceof Error ? error.message : String(error)}\n` +
        `container state: ${state.stdout.trim()}\n--- logs ---\n${await containerLogs(engine, name)}`,
      { cause: error },
    );
  }
}

/** Sends SIGTERM (SIGKILL after `graceSeconds`) and returns the exit code: 0 only if the app drained and exited itself. */
export async function stopContainer(engine: Engine, name: string, graceSeconds = 10): Promise<number> {
  await engineOutput(engine, ["stop", "-t", String(graceSeconds), name], (graceSeconds + 30) * 1000);
  const code = (await engineOutput(engine, ["inspect", "--format", "{{.State.ExitCode}}", name])).trim();
  return Number(code);
}

export async function removeContainer(engine: Engine, name: string): Promise<void> {
  await runCommand(engine.bin, ["rm", "-f", name]);
}
