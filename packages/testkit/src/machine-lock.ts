import { createServer } from "node:net";
import { afterAll, beforeAll } from "vitest";

/** A lock held by this process until released (or until it exits: the kernel drops it then). */
export interface MachineLock {
  release(): Promise<void>;
}

export interface MachineLockOptions {
  /** How long to wait for the holder before giving up (default 30 minutes: a whole live suite). */
  readonly timeoutMs?: number;
  /** Said once when the lock is busy (default: a line on stderr). */
  readonly onWait?: (message: string) => void;
}

/** Default wait of {@link holdMachineLock}: add it to the timeout of the hook that takes the lock. */
export const MACHINE_LOCK_WAIT_MS = 1_800_000;

/**
 * Takes a machine-wide lock named `name`, waiting while another process holds it. Test files that run
 * side by side (vitest runs two at a time and more) use it to take turns on what the machine has one of:
 * the suites that start a local cluster hold "local-cluster", so at most one cluster runs at a time and
 * each finds the kept Docker data-root (with its cached layers) and an unchanged host.
 *
 * The lock is an abstract unix socket (Linux): it leaves no file behind, and the kernel releases it when
 * the process ends, however it ends.
 */
export async function holdMachineLock(name: string, options: MachineLockOptions = {}): Promise<MachineLock> {
  const timeoutMs = options.timeoutMs ?? MACHINE_LOCK_WAIT_MS;
  const onWait = options.onWait ?? ((message: string) => process.stderr.write(`${message}\n`));
  const address = `\0todo-chatbot-test-${name}`;
  const started = Date.now();
  let waited = false;
  for (;;) {
    const server = createServer();
    const outcome = await new Promise<"held" | "busy">((resolve, reject) => {
      server.once("error", (error: NodeJS.ErrnoException) => (error.code === "EADDRINUSE" ? resolve("busy") : reject(error)));
      server.listen({ path: address }, () => resolve("held"));
    });
    if (outcome === "held") {
      server.unref();
      if (waited) onWait(`[lock ${name}] taken after ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return { release: () => new Promise<void>((resolve) => server.close(() => resolve())) };
    }
    if (Date.now() - started > timeoutMs) {
      throw new Error(
        `another process held the machine lock "${name}" for more than ${Math.round(timeoutMs / 1000)} s: ` +
          `a test file of another run is probably still using the local cluster (ss -xlp | grep todo-chatbot-test-${name} names it)`,
      );
    }
    if (!waited) onWait(`[lock ${name}] held by another test file (one local cluster at a time on this machine): waiting`);
    waited = true;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/**
 * The lock of what changes this machine beyond loopback: a local cluster or control plane, a Docker
 * daemon, container builds (their network namespaces, veths, iptables rules, cgroups and mounts). The
 * suites that do so take turns on it, so that two never run at once, while the others (PostgreSQL,
 * Chromium and servers on loopback) run beside them; and the host snapshot of the local-cluster suite
 * sees only its own cluster come and go.
 */
export const HOST_LOCK = "host";

/**
 * Called first in a describe block: holds {@link HOST_LOCK} from before the block's first hook until
 * after its last (vitest runs afterAll hooks in reverse order), waiting for its turn meanwhile.
 */
export function takeTurnsOnHost(): void {
  let lock: MachineLock | undefined;
  beforeAll(async () => {
    lock = await holdMachineLock(HOST_LOCK);
  }, MACHINE_LOCK_WAIT_MS + 60_000);
  afterAll(async () => {
    await lock?.release();
  });
}
