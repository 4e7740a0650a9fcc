// npm run bench -w apps/backend [-- --before <git-ref>]
// Starts a throwaway PostgreSQL (testkit) and the real server as the image runs it (the dist/server.js
// bundle, NODE_ENV=production) the way the chart's Pod runs it (bench/pod.ts: the chart's memory and
// CPU limits and NODE_OPTIONS, one CPU), then prints a table: req/s, p50 and p99 per route, the
// server's CPU per request, RSS idle and after the load, PostgreSQL's memory, and the load average. The
// load comes from wrk (bench/load.ts). Figures, not assertions.
// --before <git-ref> also bundles that commit's backend and measures both, route by route in turn
// (same machine, same minute), each with its own database and cgroups.
import { execFileSync, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createWriteStream, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { freePort, startPostgres, type PostgresServer } from "@todo/testkit";
import pg from "pg";
import { checkWrk, runLoad, stopLoad, writeLoadScript, type LoadRequest, type LoadResult } from "./load.ts";
import { pinLoad, podLauncher, readPodShape, type PodLauncher, type PodShape } from "./pod.ts";

const DURATION_S = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_S = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const CONNECTIONS = 50;
// BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the server (or --trace-gc, …)
const NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean);
// BENCH_ROUTES="tasks" runs only the routes whose label matches (case-insensitive), e.g. while profiling
// BENCH_SERVER_STDOUT=/tmp/server appends each server's stdout (its JSON logs, --trace-gc lines) to /tmp/server-<variant>.log
const SERVER_STDOUT = process.env.BENCH_SERVER_STDOUT;
const ROUTES = new RegExp(process.env.BENCH_ROUTES ?? "", "i");
const backendDir = fileURLToPath(new URL("..", import.meta.url));
const { values: args } = parseArgs({ options: { before: { type: "string" } } });

const statusField = (pid: number, field: string): number => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
/** VmRSS or VmHWM (peak) in MB */
const rssMb = (pid: number, field: "VmRSS" | "VmHWM"): number => statusField(pid, field) / 1024;
/** user + system CPU seconds of a process */
const cpuSeconds = (pid: number): number => {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
};
/** PSS in MB of a process and all its descendants (shared memory such as PostgreSQL's shared buffers counted once) */
const treePssMb = (root: number): number => {
  const pids = [root];
  for (let i = 0; i < pids.length; i++) {
    for (const task of readdirSync(`/proc/${pids[i]}/task`)) {
      pids.push(...readFileSync(`/proc/${pids[i]}/task/${task}/children`, "utf8").split(" ").filter(Boolean).map(Number));
    }
  }
  let kb = 0;
  for (const pid of pids) {
    try {
      kb += Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"))?.[1] ?? 0);
    } catch {
      // a backend that exited meanwhile
    }
  }
  return kb / 1024;
};
const loadAverage = (): string => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");

const children = new Set<ChildProcess>();
const launchers: PodLauncher[] = [];
const scratch: string[] = [];
let pgServer: PostgresServer | undefined;

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = once(child, "exit");
    child.kill("SIGTERM");
    await exited;
  }
  children.delete(child);
}

let cleaning: Promise<void> | undefined;
/** Stops the load and the servers, then removes the cgroups, PostgreSQL and any --before build: nothing is left behind, also after Ctrl-C. */
const cleanup = (): Promise<void> =>
  (cleaning ??= (async () => {
    stopLoad();
    await Promise.all([...children].map(stopChild));
    for (const launcher of launchers) launcher.remove();
    pgServer?.destroy();
    for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
  })());
for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
  process.once(signal, () => void cleanup().finally(() => process.exit(code)));
}

/** Bundles the backend of `ref` (git archive + its own build.mjs) in a scratch directory; returns that backend directory and the ref's chart limits and nodeOptions. */
function buildRef(ref: string): { dir: string; shape: PodShape } {
  const root = execFileSync("git", ["rev-parse", "--show-toplevel"], { cwd: backendDir, encoding: "utf8" }).trim();
  const dir = mkdtempSync(join(tmpdir(), "todo-backend-bench-before-"));
  scratch.push(dir);
  const archive = execFileSync("git", ["archive", ref, "apps/backend", "apps/chart/values.yaml", "tsconfig.base.json"], { cwd: root, maxBuffer: 256 * 2 ** 20 });
  execFileSync("tar", ["-x", "-C", dir], { input: archive });
  // esbuild resolves the dependencies through the working tree's node_modules
  symlinkSync(join(root, "node_modules"), join(dir, "node_modules"));
  const before = join(dir, "apps", "backend");
  execFileSync(process.execPath, ["build.mjs"], { cwd: before, stdio: "inherit" });
  return { dir: before, shape: readPodShape(join(dir, "apps", "chart", "values.yaml")) };
}

interface Server {
  child: ChildProcess;
  pid: number;
  base: string;
  coldStartMs: number;
}

interface User {
  id: string;
  headers: Record<string, string>;
}

/** One backend under test: the working tree, or the --before ref. */
interface Variant {
  name: string;
  dir: string;
  launcher: PodLauncher;
  databaseUrl: string;
  heapMiB: number;
}

async function startServer(variant: Variant, env: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child = variant.launcher.spawnNode(
    [...NODE_ARGS, "dist/server.js"],
    {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_URL: variant.databaseUrl,
      BETTER_AUTH_SECRET: "bench-secret-0123456789abcdefghij",
      OPENAI_API_KEY: "",
      CHAT_RATE_LIMIT_PER_MINUTE: "100000000",
      LOG_LEVEL: process.env.LOG_LEVEL ?? "info",
      ...env,
    },
    variant.dir,
    SERVER_STDOUT ? "pipe" : "ignore",
  );
  if (SERVER_STDOUT) child.stdout?.pipe(createWriteStream(`${SERVER_STDOUT}-${variant.name.replace(/\W+/g, "-")}.log`, { flags: "a" }));
  children.add(child);
  for (;;) {
    try {
      if ((await fetch(`${base}/ready`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) throw new Error(`the ${variant.name} server exited with ${child.exitCode} before it was ready (97: it could not join the cgroup)`);
    await new Promise((r) => setTimeout(r, 10));
  }
  if (child.pid === undefined) throw new Error("the server has no pid");
  return { child, pid: child.pid, base, coldStartMs: performance.now() - started };
}

/** The heap limit V8 picks inside the Pod's shape (a `node -p` started exactly like the server). */
async function heapLimitMiB(launcher: PodLauncher): Promise<number> {
  const probe = launcher.spawnNode(["-p", "require('v8').getHeapStatistics().heap_size_limit"], process.env, backendDir, "pipe");
  let out = "";
  probe.stdout?.on("data", (chunk: Buffer) => (out += chunk.toString()));
  const [code] = (await once(probe, "exit")) as [number | null];
  if (code !== 0) throw new Error(`the heap probe exited with ${code}`);
  return Number(out.trim()) / 2 ** 20;
}

/** Signs up a user; a distinct X-Forwarded-For per user keeps the per-address sign-up limit out of the way. */
async function signUp(base: string, n: number): Promise<User> {
  const response = await fetch(`${base}/api/auth/sign-up/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: "http://localhost:3000", "x-forwarded-for": `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}` },
    body: JSON.stringify({ name: `bench ${n}`, email: `bench${n}@example.com`, password: "correct-horse-1" }),
  });
  if (response.status !== 200) throw new Error(`sign-up answered ${response.status}: ${await response.text()}`);
  const token = response.headers.get("set-auth-token") ?? "";
  const { user } = (await response.json()) as { user: { id: string } };
  return { id: user.id, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" } };
}

/** The data the routes use: one account with 100 tasks, and enough accounts for POST task (each keeps at most 1,000). */
async function seed(base: string) {
  const owner = await signUp(base, 0);
  const taskIds: number[] = [];
  for (let i = 1; i <= 100; i++) {
    const response = await fetch(`${base}/api/${owner.id}/tasks`, { method: "POST", headers: owner.headers, body: JSON.stringify({ title: `Task number ${i}`, description: "benchmark" }) });
    taskIds.push(((await response.json()) as { id: number }).id);
  }
  const writers: User[] = [];
  const writerCount = Math.ceil(((DURATION_S + WARMUP_S) * 8_000) / 1_000); // enough for 8,000 creates/s
  for (let n = 1; n <= writerCount; n += 8) {
    writers.push(...(await Promise.all(Array.from({ length: Math.min(8, writerCount - n + 1) }, (_, k) => signUp(base, n + k)))));
  }
  return { owner, taskIds, writers };
}
type Seed = Awaited<ReturnType<typeof seed>>;

interface Route {
  label: string;
  connections: number;
  /** the requests wrk sends in turn */
  requests: (data: Seed) => LoadRequest[];
}

interface Row {
  result: LoadResult;
  /** server CPU seconds over the run */
  cpu: number;
}

/** A warm-up (not counted), then the measured run, with the server's CPU time over it. */
async function measure(server: Server, route: Route, data: Seed): Promise<Row> {
  const script = writeLoadScript(route.requests(data));
  if (WARMUP_S > 0) await runLoad(server.base, script, route.connections, WARMUP_S);
  const cpuBefore = cpuSeconds(server.pid);
  const result = await runLoad(server.base, script, route.connections, DURATION_S);
  return { result, cpu: cpuSeconds(server.pid) - cpuBefore };
}

const get = (path: (data: Seed) => string) => (data: Seed): LoadRequest[] => [{ method: "GET", path: path(data), headers: data.owner.headers }];
const taskList = (data: Seed): string => `/api/${data.owner.id}/tasks`;
const oneTask = (data: Seed): string => `/api/${data.owner.id}/tasks/${data.taskIds[0]}`;
const cachedRoutes: Route[] = [
  { label: "GET /health", connections: CONNECTIONS, requests: () => [{ method: "GET", path: "/health" }] },
  { label: "GET tasks (100 rows, 16 KB)", connections: CONNECTIONS, requests: get(taskList) },
  { label: "GET one task (session cache on)", connections: CONNECTIONS, requests: get(oneTask) },
  {
    label: "PATCH toggle complete (100 tasks)",
    connections: CONNECTIONS,
    requests: ({ owner, taskIds }) => taskIds.map((id) => ({ method: "PATCH", path: `/api/${owner.id}/tasks/${id}/complete`, headers: owner.headers })),
  },
  {
    label: "POST task",
    connections: CONNECTIONS,
    requests: ({ writers }) => {
      const body = JSON.stringify({ title: "Benchmark task", description: "created by npm run bench" });
      return writers.map((writer) => ({ method: "POST", path: `/api/${writer.id}/tasks`, headers: writer.headers, body }));
    },
  },
  {
    label: "offline chat turn",
    connections: 10,
    requests: ({ owner }) => [{ method: "POST", path: `/api/${owner.id}/chat`, headers: owner.headers, body: JSON.stringify({ message: "What's pending?" }) }],
  },
];
// reads again on a server started without one cache each: what a request costs when the cache cannot help
const uncachedRoutes: { route: Route; env: Record<string, string> }[] = [
  // every page read from PostgreSQL and serialised again, as after each write to the list
  { route: { label: "GET tasks (list cache off)", connections: CONNECTIONS, requests: get(taskList) }, env: { TASK_LIST_CACHE_MB: "0" } },
  // Better Auth's session lookup on every request
  { route: { label: "GET one task (session cache off)", connections: CONNECTIONS, requests: get(oneTask) }, env: { SESSION_CACHE_TTL_MS: "0" } },
];

interface Report {
  rows: Map<string, Row>;
  coldStartMs: number;
  idleRss: number;
  setupRss: number;
  loadedRss: number;
  peakRss: number;
  peakCgroup: number | undefined;
}

try {
  await checkWrk();
  const loadBefore = loadAverage();
  // what the image runs: the bundle (npm run build)
  execFileSync("npm", ["run", "--silent", "build"], { cwd: backendDir, stdio: "inherit" });
  const current = { dir: backendDir, shape: readPodShape() };
  const builds: [string, { dir: string; shape: PodShape }][] = args.before ? [[`before (${args.before})`, buildRef(args.before)], ["working tree", current]] : [["working tree", current]];
  pgServer = await startPostgres();
  const admin = new pg.Client({ connectionString: pgServer.adminUrl });
  await admin.connect();
  const { rows } = await admin.query<{ pid: number }>("select pg_backend_pid() as pid");
  // the postmaster is the parent of a backend; backends forked later inherit its CPU affinity
  const postmaster = statusField(rows[0]?.pid ?? 0, "PPid");
  pinLoad([process.pid, postmaster]);
  await admin.end();

  const variants: Variant[] = [];
  for (const [index, [name, { dir, shape }]] of builds.entries()) {
    const launcher = podLauncher(shape);
    launchers.push(launcher);
    variants.push({ name, dir, launcher, databaseUrl: await pgServer.createDatabase(`bench${index}`), heapMiB: await heapLimitMiB(launcher) });
  }

  // the cached routes, each variant in turn per route, then the uncached one
  const servers = await Promise.all(variants.map((variant) => startServer(variant, {})));
  const reports: Report[] = servers.map((server) => ({ rows: new Map(), coldStartMs: server.coldStartMs, idleRss: rssMb(server.pid, "VmRSS"), setupRss: 0, loadedRss: 0, peakRss: 0, peakCgroup: undefined }));
  const seeds: Seed[] = [];
  for (const [i, server] of servers.entries()) {
    seeds.push(await seed(server.base));
    (reports[i] as Report).setupRss = rssMb(server.pid, "VmRSS");
  }
  // PostgreSQL's memory as its container would hold it: the postmaster and every backend, shared buffers once
  const pgPss = { setUp: treePssMb(postmaster), loaded: 0 };
  for (const route of cachedRoutes.filter((r) => ROUTES.test(r.label))) {
    for (const [i, server] of servers.entries()) (reports[i] as Report).rows.set(route.label, await measure(server, route, seeds[i] as Seed));
    pgPss.loaded = Math.max(pgPss.loaded, treePssMb(postmaster));
  }
  for (const [i, server] of servers.entries()) {
    const report = reports[i] as Report;
    report.loadedRss = rssMb(server.pid, "VmRSS");
    report.peakRss = rssMb(server.pid, "VmHWM");
    report.peakCgroup = variants[i]?.launcher.peakCgroupBytes();
    await stopChild(server.child);
  }
  for (const { route, env } of uncachedRoutes.filter((r) => ROUTES.test(r.route.label))) {
    const uncached = await Promise.all(variants.map((variant) => startServer(variant, env)));
    for (const [i, server] of uncached.entries()) (reports[i] as Report).rows.set(route.label, await measure(server, route, seeds[i] as Seed));
    await Promise.all(uncached.map((server) => stopChild(server.child)));
  }

  const col = (value: string | number, width: number): string => String(value).padStart(width);
  console.log(`\nbackend benchmark: the dist/server.js bundle, NODE_ENV=production, PostgreSQL (testkit), load by wrk (one thread), ${DURATION_S} s per route after ${WARMUP_S} s warm-up`);
  console.log(`  extra node args (BENCH_NODE_ARGS): ${NODE_ARGS.join(" ") || "none"}`);
  for (const [i, variant] of variants.entries()) {
    const report = reports[i] as Report;
    console.log(`\n${variant.name}`);
    for (const line of variant.launcher.describe) console.log(`  ${line}`);
    console.log(`  V8 heap limit in the server (heap_size_limit): ${variant.heapMiB.toFixed(0)} MiB`);
    console.log(`| route | conns | req/s | p50 ms | p99 ms | non-2xx | errors | server CPU | CPU µs/req |`);
    console.log(`|---|--:|--:|--:|--:|--:|--:|--:|--:|`);
    for (const route of [...cachedRoutes, ...uncachedRoutes.map((r) => r.route)]) {
      const row = report.rows.get(route.label);
      if (!row) continue;
      const { result, cpu } = row;
      const cpuPerReq = result.total > 0 ? ((cpu / result.total) * 1e6).toFixed(0) : "-";
      console.log(
        `| ${route.label} | ${route.connections} | ${col(result.perSecond.toFixed(0), 6)} | ${col(result.p50Ms.toFixed(1), 5)} | ${col(result.p99Ms.toFixed(1), 5)} | ${result.non2xx} | ${result.errors} | ${col(((cpu / DURATION_S) * 100).toFixed(0), 3)} % | ${col(cpuPerReq, 4)} |`,
      );
    }
    console.log(`cold start to /ready            ${report.coldStartMs.toFixed(0)} ms`);
    console.log(`RSS idle (at ready)             ${report.idleRss.toFixed(0)} MB`);
    console.log(`RSS after set-up (users, tasks) ${report.setupRss.toFixed(0)} MB`);
    const cgroup = report.peakCgroup === undefined ? "" : `; cgroup peak incl. page cache ${(report.peakCgroup / 2 ** 20).toFixed(0)} MiB`;
    console.log(`RSS after the load              ${report.loadedRss.toFixed(0)} MB (peak ${report.peakRss.toFixed(0)} MB${cgroup})`);
  }
  console.log(
    `\nPostgreSQL (testkit: the chart's defaults but max_connections=200, fsync off; ${variants.length} server(s) x DB_POOL_MAX 10 connections), PSS of all its processes: ${pgPss.setUp.toFixed(0)} MB after set-up, ${pgPss.loaded.toFixed(0)} MB at most right after a route's load`,
  );
  console.log(`load average (1/5/15 min)       ${loadBefore} before, ${loadAverage()} after, on ${cpus().length} CPUs`);
} finally {
  await cleanup();
}
