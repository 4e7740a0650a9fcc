// How the bench runs the server the way the chart's Pod runs it: the limits and NODE_OPTIONS come from
// apps/chart/values.yaml (backend.resources.limits, backend.nodeOptions), the server is pinned to one
// CPU, and, as root on cgroup v1, it starts inside a memory cgroup (memory.limit_in_bytes) and a cpu
// cgroup (CFS quota) of those limits, so Node sizes its V8 heap from the limit exactly as in the Pod.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { accessSync, constants, existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

/** The chart's values of this working tree (bench/run.ts --before reads the ref's own copy). */
export const chartValuesFile = fileURLToPath(new URL("../../chart/values.yaml", import.meta.url));

export interface PodShape {
  /** backend.resources.limits.memory as written, and in bytes */
  memory: string;
  memoryBytes: number;
  /** backend.resources.limits.cpu as written, and in CPUs */
  cpu: string;
  cpus: number;
  /** backend.nodeOptions (NODE_OPTIONS of the container) */
  nodeOptions: string;
}

const MEMORY_UNITS: Record<string, number> = { "": 1, k: 1e3, M: 1e6, G: 1e9, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30 };

/** A Kubernetes memory quantity ("512Mi", "1G", "536870912") in bytes. */
export function memoryBytes(quantity: string, valuesFile = chartValuesFile): number {
  const match = /^(\d+(?:\.\d+)?)(k|M|G|Ki|Mi|Gi)?$/.exec(quantity);
  const unit = MEMORY_UNITS[match?.[2] ?? ""];
  if (!match || unit === undefined) throw new Error(`${valuesFile}: backend.resources.limits.memory "${quantity}" is not a memory quantity like 512Mi`);
  return Math.round(Number(match[1]) * unit);
}

/** A Kubernetes CPU quantity ("1", "500m", "1.5") in CPUs. */
export function cpuCount(quantity: string, valuesFile = chartValuesFile): number {
  const match = /^(\d+(?:\.\d+)?)(m)?$/.exec(quantity);
  if (!match) throw new Error(`${valuesFile}: backend.resources.limits.cpu "${quantity}" is not a CPU quantity like 1 or 500m`);
  return Number(match[1]) / (match[2] ? 1000 : 1);
}

export function readPodShape(valuesFile = chartValuesFile): PodShape {
  const values: unknown = parse(readFileSync(valuesFile, "utf8"));
  const backend = (values as { backend?: { resources?: { limits?: { memory?: unknown; cpu?: unknown } }; nodeOptions?: unknown } }).backend;
  const memory = backend?.resources?.limits?.memory;
  const cpu = backend?.resources?.limits?.cpu;
  const nodeOptions = backend?.nodeOptions ?? "";
  if (typeof memory !== "string" || (typeof cpu !== "string" && typeof cpu !== "number") || typeof nodeOptions !== "string") {
    throw new Error(`${valuesFile}: expected backend.resources.limits.memory (string), backend.resources.limits.cpu and backend.nodeOptions (string)`);
  }
  return { memory, memoryBytes: memoryBytes(memory, valuesFile), cpu: String(cpu), cpus: cpuCount(String(cpu), valuesFile), nodeOptions };
}

/**
 * The V8 flags Node 24 derives itself from a memory limit it sees in a cgroup, measured there
 * (heap_size_limit): the old generation is half the limit, at least 256 MiB, and at that floor the
 * semi-space is 1 MiB. Used only when the bench cannot create cgroups, for the flags the chart's
 * nodeOptions does not set itself.
 */
function v8FlagsFor(limitBytes: number, nodeOptions: string): string[] {
  const oldMiB = Math.max(256, Math.floor(limitBytes / 2 / 2 ** 20));
  const flags: string[] = [];
  if (!/--max-old-space-size\b/.test(nodeOptions)) flags.push(`--max-old-space-size=${oldMiB}`);
  if (!/--max-semi-space-size\b/.test(nodeOptions) && oldMiB <= 256) flags.push("--max-semi-space-size=1");
  return flags;
}

/** The root of a cgroup v1 controller's hierarchy (e.g. "memory" -> /sys/fs/cgroup/memory). */
const controllerRoot = (controller: string): string => `/sys/fs/cgroup/${controller}`;

function cgroupsWritable(): string | undefined {
  if (process.getuid?.() !== 0) return "not root";
  for (const controller of ["memory", "cpu"]) {
    const root = controllerRoot(controller);
    if (!existsSync(`${root}/cgroup.procs`)) return `no cgroup v1 ${controller} controller at ${root}`;
    try {
      accessSync(root, constants.W_OK);
    } catch {
      return `${root} is not writable`;
    }
  }
  return undefined;
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

/** The CPU the server gets, and the one left for autocannon and PostgreSQL. */
export const SERVER_CPU = 1;
export const LOAD_CPU = 0;

/** Sets up the Pod's shape: cgroups when it can (root, cgroup v1), else the heap flags V8 would pick. */
export function podLauncher(shape: PodShape): PodLauncher {
  const pinned = cpus().length >= 2;
  const describe = [
    `chart: backend.resources.limits memory ${shape.memory}, cpu ${shape.cpu}; backend.nodeOptions ${JSON.stringify(shape.nodeOptions)}`,
    pinned ? `CPU: server pinned to CPU ${SERVER_CPU} (taskset -c ${SERVER_CPU}); autocannon and PostgreSQL on CPU ${LOAD_CPU}` : `CPU: only ${cpus().length} CPU, nothing pinned`,
  ];
  const taskset = (args: string[]): [string, string[]] => (pinned ? ["taskset", ["-c", String(SERVER_CPU), ...args]] : [args[0] ?? "", args.slice(1)]);
  const unwritable = cgroupsWritable();
  if (unwritable !== undefined) {
    const extra = v8FlagsFor(shape.memoryBytes, shape.nodeOptions);
    describe.push(`memory: cgroups not writable (${unwritable}); no memory limit, instead ${extra.join(" ") || "the chart's nodeOptions"} = the heap V8 picks for ${shape.memory}`);
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

  const name = `todo-backend-bench-${process.pid}-${Date.now().toString(36)}`;
  const memoryDir = `${controllerRoot("memory")}/${name}`;
  const cpuDir = `${controllerRoot("cpu")}/${name}`;
  const created: string[] = [];
  const remove = (): void => {
    for (const dir of created.splice(0).reverse()) {
      try {
        rmdirSync(dir);
      } catch (error) {
        process.stderr.write(`could not remove cgroup ${dir} (${(error as Error).message}); remove it with: rmdir ${dir}\n`);
      }
    }
  };
  try {
    mkdirSync(memoryDir);
    created.push(memoryDir);
    writeFileSync(`${memoryDir}/memory.limit_in_bytes`, String(shape.memoryBytes));
    mkdirSync(cpuDir);
    created.push(cpuDir);
    const periodUs = 100_000;
    writeFileSync(`${cpuDir}/cpu.cfs_period_us`, String(periodUs));
    writeFileSync(`${cpuDir}/cpu.cfs_quota_us`, String(Math.round(shape.cpus * periodUs)));
  } catch (error) {
    remove();
    throw error;
  }
  describe.push(
    `memory: cgroup v1 ${memoryDir} with memory.limit_in_bytes ${shape.memoryBytes}; cpu: ${cpuDir} with cfs quota ${Math.round(shape.cpus * 100_000)} us per 100000 us; Node sizes its heap from the limit`,
  );
  return {
    describe,
    spawnNode: (args, env, cwd, stdout) => {
      // the shell joins both cgroups before it becomes node, so Node sees the limit when it starts
      const [command, rest] = taskset(["sh", "-c", 'for f in $BENCH_CGROUPS; do echo $$ > "$f" || exit 97; done; unset BENCH_CGROUPS; exec "$@"', "sh", process.execPath, ...args]);
      return spawn(command, rest, {
        cwd,
        env: { ...env, NODE_OPTIONS: shape.nodeOptions, BENCH_CGROUPS: `${memoryDir}/cgroup.procs ${cpuDir}/cgroup.procs` },
        stdio: ["ignore", stdout, "inherit"],
      });
    },
    peakCgroupBytes: () => Number(readFileSync(`${memoryDir}/memory.max_usage_in_bytes`, "utf8")),
    remove,
  };
}

/** Pins this process (autocannon runs in it) and the PostgreSQL postmaster (its backends inherit) off the server's CPU. */
export function pinLoad(pids: number[]): void {
  if (cpus().length < 2) return;
  for (const pid of pids) execFileSync("taskset", ["-a", "-p", "-c", String(LOAD_CPU), String(pid)], { stdio: "ignore" });
}
