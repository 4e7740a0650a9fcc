// npm run bench -w apps/frontend
// Figures (no assertions) for the frontend's standalone server and its /api proxy, with the server run
// as the Pod runs it (README.md, "Benchmark"): pinned to one core (taskset -c 1), in a memory and cpu
// cgroup with the chart's frontend.resources.limits, NODE_OPTIONS = the chart's frontend.nodeOptions.
//   - start to the first 200 on /healthz (median of 3 cold starts)
//   - RSS idle, after 1,000 / 5,000 / 10,000 proxied requests (does it plateau?), split into V8 heap,
//     external, array buffers and code
//   - req/s, p50/p99 of GET /api/{user}/tasks through the proxy versus straight to the backend, and the
//     frontend's CPU time per proxied request
//   - the load average, since the machine is shared
// The backend is the real one (apps/backend/dist) on a throwaway PostgreSQL cluster.
//
// BENCH_SERVER=<path to server.js> benches another build (e.g. a copy of main's, to compare);
// BENCH_VALUES=<values.yaml> takes the limits and nodeOptions from another chart (e.g. that build's own);
// BENCH_NODE_OPTIONS="<flags>" replaces the chart's frontend.nodeOptions (to try flags before setting them);
// BENCH_NODE_ARGS="<node flags>" adds flags NODE_OPTIONS does not take (e.g. --cpu-prof --cpu-prof-dir=/tmp/prof).
import { existsSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { createPodCgroup, freePort, podShape, startPostgres, startProcess, v8DefaultOldSpaceMiB, type PodCgroup, type RunningProcess } from "@todo/testkit";
import { parse } from "yaml";
import { ensureBackendBuilt, ensureFrontendBuilt, standaloneServer } from "../test/support/builds.ts";
import { startBackend } from "../test/support/servers.ts";

const CONNECTIONS = 10;
const CHECKPOINTS = [1_000, 5_000, 10_000];
const LATENCY_REQUESTS = 3_000;
const CORE = "1";
const MB = 2 ** 20;

const server = process.env.BENCH_SERVER ?? standaloneServer;
// frontend.resources.limits and frontend.nodeOptions: how the chart runs the container
const valuesFile = process.env.BENCH_VALUES ?? join(import.meta.dirname, "..", "..", "chart", "values.yaml");
const limits = podShape(parse(readFileSync(valuesFile, "utf8")), "frontend", valuesFile);
const nodeOptions = process.env.BENCH_NODE_OPTIONS ?? limits.nodeOptions;
const probe = join(import.meta.dirname, "memory-probe.cjs");

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const loadAverage = (): string => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
/** VmRSS of `pid` and its parts, in MB: anonymous (heap, malloc) and file-backed (the node binary, libraries) */
function rss(pid: number): { total: number; anon: number; file: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string): number => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024;
  return { total: kb("VmRSS"), anon: kb("RssAnon"), file: kb("RssFile") + kb("RssShmem") };
}
/** CPU time (user + system) `pid` has used so far, in ms (/proc/<pid>/stat, clock ticks of 10 ms) */
const cpuMs = (pid: number): number => {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
};
const mb = (bytes: number): string => (bytes / MB).toFixed(1);

interface Memory {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  heapLimit: number;
  code: number;
  /** garbage collections since start */
  gc: { count: number; ms: number };
}

/** A frontend server started as the Pod runs it. */
interface Frontend {
  proc: RunningProcess;
  url: string;
  startMs: number;
  /** how its limits were applied */
  how: string;
  memory(): Promise<Memory>;
  /** the cgroup's memory.max_usage_in_bytes (undefined without a cgroup) */
  peakBytes(): number | undefined;
  stop(): Promise<void>;
}

// Every cgroup this run made, removed on the way out however it ends (Ctrl-C included).
const live = new Set<{ proc: RunningProcess; cgroup: PodCgroup | null }>();
async function cleanUp(): Promise<void> {
  for (const entry of live) {
    await entry.proc.stop("SIGKILL");
    entry.cgroup?.remove();
  }
  live.clear();
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void cleanUp().finally(() => process.exit(130)));
}

let serial = 0;
let fallbackSaid = false;
/** NODE_OPTIONS and how the heap is bounded, when there is no cgroup to bound it. */
function heapWithoutCgroup(reason: string): string {
  if (/--max-old-space-size/.test(nodeOptions)) return nodeOptions;
  const oldSpace = v8DefaultOldSpaceMiB(limits.memoryBytes);
  if (!fallbackSaid) {
    console.log(
      `cgroup v1 not writable here (${reason}; the bench needs root): no memory or CPU limit, the heap bounded instead by --max-old-space-size=${oldSpace} (what V8 picks for ${limits.memory})`,
    );
    fallbackSaid = true;
  }
  return `${nodeOptions} --max-old-space-size=${oldSpace}`.trim();
}

async function startFrontend(backendUrl: string): Promise<Frontend> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const memoryFile = join(tmpdir(), `frontend-bench-${process.pid}-${++serial}.jsonl`);
  const made = createPodCgroup(`todo-frontend-bench-${process.pid}-${serial}`, limits);
  const cgroup = "unavailable" in made ? null : made;
  const options = cgroup ? nodeOptions : heapWithoutCgroup("unavailable" in made ? made.unavailable : "");
  const node = ["taskset", "-c", CORE, process.execPath, ...(process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean), "--require", probe, server];
  const [command, ...args] = cgroup ? cgroup.wrap(node) : node;
  const started = performance.now();
  const proc = startProcess(command!, args, {
    cwd: dirname(server),
    env: {
      NODE_ENV: "production",
      PORT: String(port),
      HOSTNAME: "127.0.0.1",
      BACKEND_URL: backendUrl,
      NEXT_TELEMETRY_DISABLED: "1",
      NODE_OPTIONS: options,
      BENCH_MEMORY_FILE: memoryFile,
    },
  });
  const entry = { proc, cgroup };
  live.add(entry);
  for (;;) {
    try {
      if ((await fetch(`${url}/healthz`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (proc.child.exitCode !== null) throw new Error(`frontend exited (${proc.child.exitCode}):\n${proc.output()}`);
    if (performance.now() - started > 30_000) throw new Error(`frontend did not answer /healthz within 30 s:\n${proc.output()}`);
    await sleep(5);
  }
  const startMs = performance.now() - started;
  return {
    proc,
    url,
    startMs,
    how: cgroup
      ? `taskset -c ${CORE}, memory cgroup ${limits.memory}, cpu quota ${limits.cpu}, NODE_OPTIONS="${options}"`
      : `taskset -c ${CORE}, no cgroup, NODE_OPTIONS="${options}"`,
    peakBytes: () => cgroup?.maxUsageBytes(),
    async memory() {
      const lines = existsSync(memoryFile) ? readFileSync(memoryFile, "utf8").split("\n").length : 0;
      proc.child.kill("SIGUSR2");
      for (let i = 0; i < 200; i++) {
        await sleep(10);
        const all = existsSync(memoryFile) ? readFileSync(memoryFile, "utf8").split("\n") : [];
        if (all.length > lines) return JSON.parse(all.at(-2)!) as Memory;
      }
      throw new Error("the frontend did not report its memory (bench/memory-probe.cjs) within 2 s");
    },
    async stop() {
      await proc.stop();
      cgroup?.remove();
      live.delete(entry);
      rmSync(memoryFile, { force: true });
    },
  };
}

interface Run {
  requests: number;
  seconds: number;
  latencies: number[];
}

const client = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });

function get(url: URL, cookie: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const request = http.get(url, { agent: client, headers: { cookie } }, (response) => {
      response.resume();
      response.once("end", () => (response.statusCode === 200 ? resolve(performance.now() - t) : reject(new Error(`${url.href} answered ${response.statusCode}`))));
    });
    request.once("error", reject);
  });
}

/** `count` GETs of `url`, CONNECTIONS at a time. */
async function load(url: URL, cookie: string, count: number): Promise<Run> {
  const latencies: number[] = [];
  let sent = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (sent < count) {
        sent++;
        latencies.push(await get(url, cookie));
      }
    }),
  );
  return { requests: count, seconds: (performance.now() - started) / 1000, latencies: latencies.sort((a, b) => a - b) };
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function main(): Promise<void> {
  console.log("building (skipped when up to date) ...");
  ensureBackendBuilt();
  if (server === standaloneServer) ensureFrontendBuilt();
  const loadBefore = loadAverage();
  const postgres = await startPostgres();
  const frontendPort = await freePort();
  const backend = await startBackend(await postgres.createDatabase(), `http://127.0.0.1:${frontendPort}`);
  try {
    // A user with 20 tasks, signed in through the backend directly.
    const origin = `http://127.0.0.1:${frontendPort}`;
    const signUp = await fetch(`${backend.url}/api/auth/sign-up/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin },
      body: JSON.stringify({ name: "Bench", email: "bench@example.com", password: "bench-password-1" }),
    });
    if (!signUp.ok) throw new Error(`sign-up failed: ${signUp.status} ${await signUp.text()}`);
    const cookie = signUp.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    const { user } = (await signUp.json()) as { user: { id: string } };
    for (let i = 1; i <= 20; i++) {
      const created = await fetch(`${backend.url}/api/${user.id}/tasks`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie, origin },
        body: JSON.stringify({ title: `Task ${i}` }),
      });
      if (created.status !== 201) throw new Error(`creating task ${i} failed: ${created.status} ${await created.text()}`);
    }

    // 1. cold start to the first 200 on /healthz (3 runs)
    const starts: number[] = [];
    for (let i = 0; i < 3; i++) {
      const cold = await startFrontend(backend.url);
      starts.push(cold.startMs);
      await cold.stop();
    }
    starts.sort((a, b) => a - b);

    // 2. the server under measurement: idle, then proxied requests up to each checkpoint
    const frontend = await startFrontend(backend.url);
    const pid = frontend.proc.child.pid!;
    await sleep(1_000);
    const samples: { label: string; rss: ReturnType<typeof rss>; memory: Memory }[] = [];
    const sample = async (label: string) => samples.push({ label, rss: rss(pid), memory: await frontend.memory() });
    await sample("idle (1 s after start)");

    const path = `/api/${user.id}/tasks?status=all`;
    const direct = new URL(path, backend.url);
    const proxied = new URL(path, frontend.url);
    let done = 0;
    for (const checkpoint of CHECKPOINTS) {
      await load(proxied, cookie, checkpoint - done);
      done = checkpoint;
      await sample(`after ${checkpoint.toLocaleString("en")} proxied requests`);
    }

    // 3. throughput and latency, straight to the backend and through the proxy, alternating
    const runs = { direct: [] as Run[], proxied: [] as Run[] };
    let frontendCpuMs = 0;
    const gcBefore = (await frontend.memory()).gc;
    for (let round = 0; round < 2; round++) {
      runs.direct.push(await load(direct, cookie, LATENCY_REQUESTS / 2));
      const cpuBefore = cpuMs(pid);
      runs.proxied.push(await load(proxied, cookie, LATENCY_REQUESTS / 2));
      frontendCpuMs += cpuMs(pid) - cpuBefore;
    }
    done += LATENCY_REQUESTS;
    await sample(`after ${done.toLocaleString("en")} proxied requests`);
    const gcAfter = samples.at(-1)!.memory.gc;
    const cgroupPeak = frontend.peakBytes();
    const loadAfter = loadAverage();
    await frontend.stop();

    const merge = (rs: Run[]): Run => ({
      requests: rs.reduce((n, r) => n + r.requests, 0),
      seconds: rs.reduce((n, r) => n + r.seconds, 0),
      latencies: rs.flatMap((r) => r.latencies).sort((a, b) => a - b),
    });
    const heapLimit = samples[0]!.memory.heapLimit;
    console.log(`\nfrontend benchmark: Next.js standalone (${server === standaloneServer ? "this build" : server}), Node ${process.version}`);
    console.log(`server run as the Pod: ${frontend.how} (V8 heap limit ${mb(heapLimit)} MB)`);
    console.log(`real backend + PostgreSQL, GET ${path.replace(user.id, "{user}")} (20 tasks), ${CONNECTIONS} connections\n`);
    console.log(`| figure | value |`);
    console.log(`|---|---|`);
    console.log(`| cold start to first 200 on /healthz | ${starts[1]!.toFixed(0)} ms (median of ${starts.map((s) => s.toFixed(0)).join(" / ")}) |`);
    console.log(`| **RSS** = anonymous + file-backed; V8 heap used / total, external, array buffers, code | |`);
    for (const s of samples) {
      const m = s.memory;
      console.log(
        `| RSS ${s.label} | **${s.rss.total.toFixed(1)} MB** = ${s.rss.anon.toFixed(1)} + ${s.rss.file.toFixed(1)}; heap ${mb(m.heapUsed)} / ${mb(m.heapTotal)}, external ${mb(m.external)}, array buffers ${mb(m.arrayBuffers)}, code ${mb(m.code)} |`,
      );
    }
    if (cgroupPeak !== undefined) console.log(`| cgroup memory peak (RSS + page cache) | ${mb(cgroupPeak)} MB of ${limits.memory} |`);
    for (const [name, rs] of Object.entries(runs)) {
      const r = merge(rs);
      console.log(
        `| ${name.padEnd(7)} ${r.requests.toLocaleString("en")} requests | ${(r.requests / r.seconds).toFixed(0)} req/s, p50 ${percentile(r.latencies, 50).toFixed(2)} ms, p99 ${percentile(r.latencies, 99).toFixed(2)} ms |`,
      );
    }
    console.log(
      `| frontend CPU per proxied request | ${(frontendCpuMs / LATENCY_REQUESTS).toFixed(2)} ms (user + system), of which GC ${((gcAfter.ms - gcBefore.ms) / LATENCY_REQUESTS).toFixed(2)} ms (${gcAfter.count - gcBefore.count} collections); over the ${LATENCY_REQUESTS.toLocaleString("en")} above |`,
    );
    console.log(`| load average (1/5/15 min) before / after | ${loadBefore} / ${loadAfter} (${(await import("node:os")).availableParallelism()} CPUs) |`);
  } finally {
    await cleanUp();
    await backend.process.stop();
    postgres.destroy();
  }
}

await main();
