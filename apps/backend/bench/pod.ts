// How the bench runs the server the way the chart's Pod runs it: the limits and NODE_OPTIONS come from
// apps/chart/values.yaml (backend.resources.limits, backend.nodeOptions), the server is pinned to one
// CPU, and, as root on cgroup v1, it starts inside a memory cgroup (memory.limit_in_bytes) and a cpu
// cgroup (CFS quota) of those limits, so Node sizes its V8 heap from the limit exactly as in the Pod.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { createPodCgroup, CFS_PERIOD_US, podShape, v8DefaultOldSpaceMiB, type PodShape } from "@todo/testkit";
import { parse } from "yaml";

export type { PodShape } from "@todo/testkit";

/** The chart's values of this working tree (bench/run.ts --before reads the ref's own copy). */
export const chartValuesFile = fileURLToPath(new URL("../../chart/values.yaml", import.meta.url));

/** backend.resources.limits and backend.nodeOptions from a copy of the chart's values. */
export function readPodShape(valuesFile = chartValuesFile): PodShape {
  return podShape(parse(readFileSync(valuesFile, "utf8")), "backend", valuesFile);
}

/**
 * The V8 flags Node 24 derives itself from a memory limit it sees in a cgroup, for the flags the chart's
 * nodeOptions does not set itself. Used only when the bench cannot create cgroups.
 */
function v8FlagsFor(limitBytes: number, nodeOptions: string): string[] {
  const oldMiB = v8DefaultOldSpaceMiB(limitBytes);
  const flags: string[] = [];
  if (!/--max-old-space-size\b/.test(nodeOptions)) flags.push(`--max-old-space-size=${oldMiB}`);
  if (!/--max-semi-space-size\b/.test(nodeOptions) && oldMiB <= 256) flags.push("--max-semi-space-size=1");
  return flags;
}

export interface PodLauncher {
  /** one line each: how the server runs */
  describe: string[];
  /** starts `node <args>` the Pod's way (the caller adds env, cwd); stderr is inherited */
  spawnNode(args: string[], env: NodeJS.ProcessEnv, cwd: string, stdout: "ignore" | "pipe"): ChildProcess;
  /** the cgroup's memory.max_usage_in_bytes (page cache included), when there is one */
  peakCgroupBytes(): number | undefined;
  /** removes the cgroups; call after every process started in them has exited */
  remove(): void;
}

/** The CPU the server gets, and the one left for the load (wrk) and PostgreSQL. */
export const SERVER_CPU = 1;
export const LOAD_CPU = 0;

/** Sets up the Pod's shape: cgroups when it can (root, cgroup v1), else the heap flags V8 would pick. */
export function podLauncher(shape: PodShape): PodLauncher {
  const pinned = cpus().length >= 2;
  const describe = [
    `chart: backend.resources.limits memory ${shape.memory}, cpu ${shape.cpu}; backend.nodeOptions ${JSON.stringify(shape.nodeOptions)}`,
    pinned ? `CPU: server pinned to CPU ${SERVER_CPU} (taskset -c ${SERVER_CPU}); wrk (the load) and PostgreSQL on CPU ${LOAD_CPU}` : `CPU: only ${cpus().length} CPU, nothing pinned`,
  ];
  const taskset = (args: string[]): [string, string[]] => (pinned ? ["taskset", ["-c", String(SERVER_CPU), ...args]] : [args[0] ?? "", args.slice(1)]);
  const cgroup = createPodCgroup(`todo-backend-bench-${process.pid}-${Date.now().toString(36)}`, shape);
  if ("unavailable" in cgroup) {
    const extra = v8FlagsFor(shape.memoryBytes, shape.nodeOptions);
    describe.push(`memory: cgroups not writable (${cgroup.unavailable}); no memory limit, instead ${extra.join(" ") || "the chart's nodeOptions"} = the heap V8 picks for ${shape.memory}`);
    return {
      describe,
      spawnNode: (args, env, cwd, stdout) => {
        const [command, rest] = taskset([process.execPath, ...extra, ...args]);
        return spawn(command, rest, { cwd, env: { ...env, NODE_OPTIONS: shape.nodeOptions }, stdio: ["ignore", stdout, "inherit"] });
      },
      peakCgroupBytes: () => undefined,
      remove: () => {},
    };
  }
  describe.push(
    `memory: cgroup v1 ${cgroup.memoryDir} with memory.limit_in_bytes ${shape.memoryBytes}; cpu: ${cgroup.cpuDir} with cfs quota ${cgroup.quotaUs} us per ${CFS_PERIOD_US} us; Node sizes its heap from the limit`,
  );
  return {
    describe,
    spawnNode: (args, env, cwd, stdout) => {
      const [command, rest] = taskset(cgroup.wrap([process.execPath, ...args]));
      return spawn(command, rest, { cwd, env: { ...env, NODE_OPTIONS: shape.nodeOptions }, stdio: ["ignore", stdout, "inherit"] });
    },
    peakCgroupBytes: () => cgroup.maxUsageBytes(),
    remove: cgroup.remove,
  };
}

/** `command args…` to run on the load CPU (taskset), when there is a second CPU. */
export function onLoadCpu([command = "", ...args]: string[]): [string, string[]] {
  return cpus().length >= 2 ? ["taskset", ["-c", String(LOAD_CPU), command, ...args]] : [command, args];
}

/** Pins this process (it seeds the data) and the PostgreSQL postmaster (its backends inherit) off the server's CPU. */
export function pinLoad(pids: number[]): void {
  if (cpus().length < 2) return;
  for (const pid of pids) execFileSync("taskset", ["-a", "-p", "-c", String(LOAD_CPU), String(pid)], { stdio: "ignore" });
}
