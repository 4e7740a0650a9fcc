// npm run bench -w apps/backend
// Starts a throwaway PostgreSQL (testkit) and the real server as the image runs it (the dist/server.js
// bundle, NODE_ENV=production),
// then prints: cold start to /ready, GET tasks (100 tasks) at 50 connections, offline chat turns,
// and the server's RSS afterwards. Figures, not assertions.
import { execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { freePort, startPostgres } from "@todo/testkit";
import autocannon from "autocannon";

const DURATION_S = Number(process.env.BENCH_SECONDS ?? 10);
const rssOf = (pid: number | undefined): number =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
const backendDir = fileURLToPath(new URL("..", import.meta.url));

// what the image runs: the bundle (npm run build)
execFileSync("npm", ["run", "--silent", "build"], { cwd: backendDir, stdio: "inherit" });
const pgServer = await startPostgres();
const databaseUrl = await pgServer.createDatabase("bench");
const port = await freePort();
const base = `http://127.0.0.1:${port}`;

const started = performance.now();
// BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the server
const nodeArgs = (process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean);
const child = spawn(process.execPath, [...nodeArgs, "dist/server.js"], {
  cwd: backendDir,
  stdio: ["ignore", "ignore", "inherit"],
  env: {
    ...process.env,
    NODE_ENV: "production",
    PORT: String(port),
    HOST: "127.0.0.1",
    DATABASE_URL: databaseUrl,
    BETTER_AUTH_SECRET: "bench-secret-0123456789abcdefghij",
    OPENAI_API_KEY: "",
    CHAT_RATE_LIMIT_PER_MINUTE: "100000000",
    LOG_LEVEL: process.env.LOG_LEVEL ?? "info",
  },
});

try {
  for (;;) {
    try {
      if ((await fetch(`${base}/ready`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  const coldStartMs = performance.now() - started;
  const idleRssMb = rssOf(child.pid);

  const signUp = await fetch(`${base}/api/auth/sign-up/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: "http://localhost:3000" },
    body: JSON.stringify({ name: "bench", email: "bench@example.com", password: "correct-horse-1" }),
  });
  const token = signUp.headers.get("set-auth-token") ?? "";
  const { user } = (await signUp.json()) as { user: { id: string } };
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  for (let i = 1; i <= 100; i++) {
    await fetch(`${base}/api/${user.id}/tasks`, { method: "POST", headers, body: JSON.stringify({ title: `Task number ${i}`, description: "benchmark" }) });
  }

  const run = (opts: autocannon.Options) =>
    new Promise<autocannon.Result>((resolve, reject) => autocannon(opts, (err, result) => (err ? reject(err) : resolve(result))));

  // the machine's ceiling for this process: a route that does nothing
  const health = await run({ url: `${base}/health`, connections: 50, duration: DURATION_S });
  const list = await run({ url: `${base}/api/${user.id}/tasks`, connections: 50, duration: DURATION_S, headers });
  const chat = await run({
    url: `${base}/api/${user.id}/chat`,
    method: "POST",
    connections: 10,
    duration: DURATION_S,
    headers,
    body: JSON.stringify({ message: "What's pending?" }),
  });
  const rssMb = rssOf(child.pid);

  const line = (label: string, r: autocannon.Result) =>
    `${label.padEnd(34)} ${r.requests.average.toFixed(0).padStart(6)} req/s   p50 ${String(r.latency.p50).padStart(4)} ms   p99 ${String(r.latency.p99).padStart(4)} ms   non-2xx ${r.non2xx}   errors ${r.errors}`;
  console.log(`\nbackend benchmark (PostgreSQL, NODE_ENV=production, ${DURATION_S} s per run)`);
  console.log(`cold start to /ready               ${coldStartMs.toFixed(0)} ms`);
  console.log(line("GET /health (baseline), 50 conns", health));
  console.log(line("GET tasks (100 tasks), 50 conns", list));
  console.log(line("offline chat turn, 10 conns", chat));
  console.log(`RSS at ready (idle)                ${idleRssMb.toFixed(0)} MB`);
  // With no memory limit V8 keeps a large heap headroom; in the chart's 512Mi limit it sizes the heap to fit.
  console.log(`RSS after the runs                 ${rssMb.toFixed(0)} MB (no memory limit)`);
  console.log(`load average (1 min) at the end    ${readFileSync("/proc/loadavg", "utf8").split(" ")[0]} on ${(await import("node:os")).cpus().length} CPUs`);
} finally {
  child.kill("SIGTERM");
  await new Promise((r) => child.once("exit", r));
  pgServer.destroy();
}
