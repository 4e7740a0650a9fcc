// How the chart runs the frontend container, for the bench: its memory and CPU limits and its
// NODE_OPTIONS, read from apps/chart/values.yaml (the one place they are written), and a memory +
// cpu cgroup (v1) that holds the server to them, as the kubelet does for the Pod.
import { mkdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { z } from "zod";

const valuesFile = join(import.meta.dirname, "..", "..", "chart", "values.yaml");

/** A Kubernetes memory quantity ("384Mi", "512M", "1Gi", "268435456") in bytes. */
export function memoryBytes(quantity: string): number {
  const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|K|M|G|T)?$/.exec(quantity.trim());
  if (!match) throw new Error(`${valuesFile}: frontend.resources.limits.memory "${quantity}" is not a memory quantity (e.g. 384Mi)`);
  const factor: Record<string, number> = { "": 1, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12 };
  return Math.round(Number(match[1]) * (factor[match[2] ?? ""] ?? 1));
}

/** A Kubernetes CPU quantity ("500m", "0.5", "1") in cores. */
export function cpuCores(quantity: string | number): number {
  const text = String(quantity).trim();
  const match = /^(\d+(?:\.\d+)?)(m)?$/.exec(text);
  if (!match) throw new Error(`${valuesFile}: frontend.resources.limits.cpu "${text}" is not a CPU quantity (e.g. 500m)`);
  return Number(match[1]) / (match[2] ? 1000 : 1);
}

const frontendValues = z.object({
  frontend: z.object({
    nodeOptions: z.string(),
    resources: z.object({ limits: z.object({ memory: z.string(), cpu: z.union([z.string(), z.number()]) }) }),
  }),
});

export interface PodLimits {
  memory: string;
  memoryBytes: number;
  cpu: string;
  cpuCores: number;
  /** frontend.nodeOptions, the container's NODE_OPTIONS */
  nodeOptions: string;
}

/** frontend.resources.limits and frontend.nodeOptions from the chart's values. */
export function podLimits(): PodLimits {
  const parsed = frontendValues.safeParse(parse(readFileSync(valuesFile, "utf8")));
  if (!parsed.success) {
    throw new Error(`${valuesFile}: expected frontend.nodeOptions (a string) and frontend.resources.limits.{memory,cpu}: ${z.prettifyError(parsed.error)}`);
  }
  const { nodeOptions, resources } = parsed.data.frontend;
  const cpu = String(resources.limits.cpu);
  return { memory: resources.limits.memory, memoryBytes: memoryBytes(resources.limits.memory), cpu, cpuCores: cpuCores(cpu), nodeOptions };
}

/**
 * The old-space size (MiB) V8 in Node 24 picks for a memory limit when no flag sets it: half the limit,
 * at least 256 MiB (measured with Node 24 in cgroups of 128Mi ... 4Gi: heap_size_limit 259 MB up to
 * 512Mi, then 432, 560, 1120, 2240 MB = limit / 2 plus the young generation).
 */
export const v8DefaultOldSpaceMb = (limitBytes: number): number => Math.max(256, Math.ceil(limitBytes / 2 ** 20 / 2));

const CFS_PERIOD_US = 100_000;

export interface Cgroup {
  /** the shell command that moves itself into the cgroup, then execs `command` */
  wrap(command: string[]): string[];
  /** memory.max_usage_in_bytes: the most the cgroup held (RSS + page cache), in bytes */
  maxUsageBytes(): number;
  /** removes the cgroup (its processes must have exited) */
  remove(): void;
}

const quote = (arg: string): string => `'${arg.replaceAll("'", `'\\''`)}'`;

/**
 * A memory cgroup (memory.limit_in_bytes = the chart's memory limit) and a cpu cgroup (cfs quota =
 * the chart's CPU limit) under /sys/fs/cgroup/{memory,cpu}/<name>; the wrapped command writes its own
 * pid to both cgroup.procs before exec'ing node, so Node sees the limit from its first instruction
 * (it sizes the V8 heap from it). Null when cgroup v1 is not writable here (not root, or cgroup v2),
 * with the reason.
 */
export function createCgroup(name: string, limits: PodLimits): Cgroup | { unavailable: string } {
  const memory = join("/sys/fs/cgroup/memory", name);
  const cpu = join("/sys/fs/cgroup/cpu", name);
  const made: string[] = [];
  const remove = (): void => {
    for (const dir of made.splice(0).reverse()) {
      try {
        rmdirSync(dir);
      } catch (error) {
        console.error(`could not remove the bench's cgroup ${dir} (${(error as NodeJS.ErrnoException).code}); remove it with: rmdir ${dir}`);
      }
    }
  };
  try {
    mkdirSync(memory);
    made.push(memory);
    writeFileSync(join(memory, "memory.limit_in_bytes"), String(limits.memoryBytes));
    mkdirSync(cpu);
    made.push(cpu);
    writeFileSync(join(cpu, "cpu.cfs_period_us"), String(CFS_PERIOD_US));
    writeFileSync(join(cpu, "cpu.cfs_quota_us"), String(Math.round(limits.cpuCores * CFS_PERIOD_US)));
  } catch (error) {
    remove();
    const { code, path } = error as NodeJS.ErrnoException;
    return { unavailable: `${code ?? "error"} on ${path ?? memory}` };
  }
  return {
    wrap: (command) => [
      "sh",
      "-c",
      `echo $$ > ${quote(join(memory, "cgroup.procs"))} && echo $$ > ${quote(join(cpu, "cgroup.procs"))} && exec ${command.map(quote).join(" ")}`,
    ],
    maxUsageBytes: () => Number(readFileSync(join(memory, "memory.max_usage_in_bytes"), "utf8")),
    remove,
  };
}
