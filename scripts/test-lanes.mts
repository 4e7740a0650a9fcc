/**
 * Which test files take turns on the host, and when each can start: read from the file's source, so a new
 * test file needs no list to be kept. Used by the sequencer (vitest.config.mts) and by `npm test`
 * (scripts/run-tests.mjs), which runs these files in a lane of their own.
 */

/** The file changes the machine beyond loopback (a cluster, a daemon, container builds): it calls takeTurnsOnHost(). */
export function takesTurnsOnHost(source: string): boolean {
  return source.includes("takeTurnsOnHost(");
}

/**
 * When the file can start on a cold CI machine, where `.ci/run` starts the tests beside the Go builds:
 * 0 needs no Go-built tool, 1 waits in its gate for the local cluster (`cluster.sh build`), 2 for the Pulumi
 * engine (`pulumi-engine.sh`, the build that finishes last: its CLI and provider are the largest).
 */
export function readiness(source: string): 0 | 1 | 2 {
  if (source.includes("enginePath(")) return 2;
  if (source.includes("missingCluster(")) return 1;
  return 0;
}

export interface HostFile<T> {
  readonly file: T;
  readonly source: string;
}

/**
 * The host-lock files in the order they run: the ones a cold machine can start first go first (so they run
 * while the Go builds still run, and warm the layer caches of the later ones), the largest first among equals.
 */
export function hostOrder<T>(files: readonly HostFile<T>[]): T[] {
  return [...files]
    .sort((a, b) => readiness(a.source) - readiness(b.source) || b.source.length - a.source.length)
    .map(({ file }) => file);
}
