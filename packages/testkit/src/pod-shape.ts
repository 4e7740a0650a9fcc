/**
 * How the chart runs an app's container, for the benchmarks: its memory and CPU limits and its
 * NODE_OPTIONS from apps/chart/values.yaml (the one place they are written), and a cgroup v1 memory +
 * cpu pair that holds a server to them, as the kubelet does for the Pod. One module for both apps'
 * `npm run bench`.
 */
import { mkdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export type ChartComponent = "backend" | "frontend";

export interface PodShape {
  component: ChartComponent;
  /** <component>.resources.limits.memory as written, and in bytes */
  memory: string;
  memoryBytes: number;
  /** <component>.resources.limits.cpu as written, and in CPUs */
  cpu: string;
  cpus: number;
  /** <component>.nodeOptions, the container's NODE_OPTIONS */
  nodeOptions: string;
}

const MEMORY_UNITS: Record<string, number> = { "": 1, k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };

/** A Kubernetes memory quantity ("512Mi", "1G", "536870912") in bytes; `where` names it in the error. */
export function memoryBytes(quantity: string, where: string): number {
  const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|K|M|G|T)?$/.exec(quantity.trim());
  const unit = MEMORY_UNITS[match?.[2] ?? ""];
  if (!match || unit === undefined) throw new Error(`${where}: "${quantity}" is not a memory quantity like 512Mi`);
  return Math.round(Number(match[1]) * unit);
}

/** A Kubernetes CPU quantity ("1", "500m", "1.5") in CPUs; `where` names it in the error. */
export function cpuCount(quantity: string, where: string): number {
  const match = /^(\d+(?:\.\d+)?)(m)?$/.exec(quantity.trim());
  if (!match) throw new Error(`${where}: "${quantity}" is not a CPU quantity like 1 or 500m`);
  return Number(match[1]) / (match[2] ? 1000 : 1);
}

/** `component`'s limits and nodeOptions from the chart's parsed values (`valuesFile` names them in errors). */
export function podShape(values: unknown, component: ChartComponent, valuesFile: string): PodShape {
  const app = (values as Record<string, { resources?: { limits?: { memory?: unknown; cpu?: unknown } }; nodeOptions?: unknown } | undefined>)[component];
  const memory = app?.resources?.limits?.memory;
  const cpu = app?.resources?.limits?.cpu;
  const nodeOptions = app?.nodeOptions ?? "";
  if (typeof memory !== "string" || (typeof cpu !== "string" && typeof cpu !== "number") || typeof nodeOptions !== "string") {
    throw new Error(`${valuesFile}: expected ${component}.resources.limits.memory (string), ${component}.resources.limits.cpu and ${component}.nodeOptions (string)`);
  }
  return {
    component,
    memory,
    memoryBytes: memoryBytes(memory, `${valuesFile}: ${component}.resources.limits.memory`),
    cpu: String(cpu),
    cpus: cpuCount(String(cpu), `${valuesFile}: ${component}.resources.limits.cpu`),
    nodeOptions,
  };
}

/**
 * The old-space size (MiB) V8 in Node 24 picks for a memory limit when no flag sets it: half the limit,
 * at least 256 MiB (measured in cgroups of 128Mi ... 4Gi); at that floor its semi-space is 1 MiB.
 */
export const v8DefaultOldSpaceMiB = (limitBytes: number): number => Math.max(256, Math.floor(limitBytes / 2 / 2 ** 20));

export const CFS_PERIOD_US = 100_000;

export interface PodCgroup {
  memoryDir: string;
  cpuDir: string;
  /** cpu.cfs_quota_us per CFS_PERIOD_US */
  quotaUs: number;
  /** the command run through a shell that joins both cgroups, then execs it (Node sees the limit at start) */
  wrap(command: string[]): string[];
  /** memory.max_usage_in_bytes: the most the cgroup held (RSS + page cache) */
  maxUsageBytes(): number;
  /** removes both cgroups; call after every process started in them has exited */
  remove(): void;
}

const quote = (arg: string): string => `'${arg.replaceAll("'", `'\\''`)}'`;

/**
 * A memory cgroup (memory.limit_in_bytes = the limit) and a cpu cgroup (CFS quota = the CPU limit) under
 * /sys/fs/cgroup/{memory,cpu}/<name>, or why they cannot be made here (not root, no writable cgroup v1).
 */
export function createPodCgroup(name: string, shape: PodShape): PodCgroup | { unavailable: string } {
  if (process.getuid?.() !== 0) return { unavailable: "not root" };
  const memoryDir = join("/sys/fs/cgroup/memory", name);
  const cpuDir = join("/sys/fs/cgroup/cpu", name);
  const quotaUs = Math.round(shape.cpus * CFS_PERIOD_US);
  const made: string[] = [];
  const remove = (): void => {
    for (const dir of made.splice(0).reverse()) {
      try {
        rmdirSync(dir);
      } catch (error) {
        process.stderr.write(`could not remove the bench's cgroup ${dir} (${(error as NodeJS.ErrnoException).code}); remove it with: rmdir ${dir}\n`);
      }
    }
  };
  try {
    mkdirSync(memoryDir);
    made.push(memoryDir);
    writeFileSync(join(memoryDir, "memory.limit_in_bytes"), String(shape.memoryBytes));
    mkdirSync(cpuDir);
    made.push(cpuDir);
    writeFileSync(join(cpuDir, "cpu.cfs_period_us"), String(CFS_PERIOD_US));
    writeFileSync(join(cpuDir, "cpu.cfs_quota_us"), String(quotaUs));
  } catch (error) {
    remove();
    const { code, path } = error as NodeJS.ErrnoException;
    return { unavailable: `${code ?? "error"} on ${path ?? memoryDir}` };
  }
  return {
    memoryDir,
    cpuDir,
    quotaUs,
    wrap: (command) => [
      "sh",
      "-c",
      `echo $$ > ${quote(join(memoryDir, "cgroup.procs"))} && echo $$ > ${quote(join(cpuDir, "cgroup.procs"))} && exec ${command.map(quote).join(" ")}`,
    ],
    maxUsageBytes: () => Number(readFileSync(join(memoryDir, "memory.max_usage_in_bytes"), "utf8")),
    remove,
  };
}
