import { spawn, type ChildProcess } from "node:child_process";

export interface StartProcessOptions {
  /** working directory */
  cwd?: string;
  /** environment added to (not replacing) process.env */
  env?: Record<string, string | undefined>;
  /** a label for error messages */
  name?: string;
}

export interface RunningProcess {
  readonly child: ChildProcess;
  /** everything the process printed so far (stdout + stderr), for assertions and error messages */
  output(): string;
  /** resolves with the exit code (or null when killed by a signal) */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** sends a signal and waits for the exit, SIGKILL after `graceMs` */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startProcess(command: string, args: string[], options: StartProcessOptions = {}): RunningProcess {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let buffer = "";
  const append = (chunk: Buffer): void => {
    buffer += chunk.toString("utf8");
    if (buffer.length > 1_000_000) buffer = buffer.slice(-500_000);
  };
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on("exit", (code, signal) => resolve({ code, signal }));
    child.on("error", (error) => {
      buffer += `\n[spawn error] ${error.message}`;
      resolve({ code: -1, signal: null });
    });
  });
  return {
    child,
    output: () => buffer,
    exited,
    async stop(signal = "SIGTERM", graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill(signal);
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}

/**
 * Polls `url` until it answers with `status` (default 200) or `timeoutMs` passes. When `process`
 * is given and exits first, the error carries its output so a failing start is easy to read.
 */
export async function waitForHttp(
  url: string,
  { timeoutMs = 30_000, status = 200, process: proc }: { timeoutMs?: number; status?: number; process?: RunningProcess } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    if (proc && (proc.child.exitCode !== null || proc.child.signalCode !== null)) {
      throw new Error(`process exited before ${url} answered:\n${proc.output().slice(-4000)}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.status === status) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer ${status} within ${timeoutMs} ms (last: ${last})${proc ? `\n${proc.output().slice(-4000)}` : ""}`);
}
