// npm run bench -w apps/frontend
// Figures (no assertions) for the frontend's standalone server and its /api proxy:
//   - start to the first 200 on /healthz (median of 3 cold starts)
//   - RSS idle, and after 1,000 proxied requests
//   - p50/p99 of GET /api/{user}/tasks through the proxy versus straight to the backend
// The backend is the real one (apps/backend/dist) on a throwaway PostgreSQL cluster.
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { startPostgres, startProcess, freePort, type RunningProcess } from "@todo/testkit";
import { ensureBackendBuilt, ensureFrontendBuilt, frontendDir, standaloneServer } from "../test/support/builds.ts";
import { startBackend } from "../test/support/servers.ts";

const targets = { readyMs: 1_000, rssMb: 120, overheadP99Ms: 5 };

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8").split("\n").find((l) => l.startsWith("VmRSS:")) ?? "VmRSS: 0 kB";
  return Number(line.replace(/\D+/g, "")) / 1024;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function coldStart(backendUrl: string): Promise<{ ms: number; proc: RunningProcess; url: string }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const proc = startProcess(process.execPath, [standaloneServer], {
    cwd: frontendDir,
    env: { PORT: String(port), HOSTNAME: "127.0.0.1", BACKEND_URL: backendUrl, NEXT_TELEMETRY_DISABLED: "1" },
  });
  for (;;) {
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    if (proc.child.exitCode !== null) throw new Error(`frontend exited:\n${proc.output()}`);
    if (performance.now() - started > 30_000) throw new Error("frontend did not answer /healthz within 30 s");
    await sleep(5);
  }
  return { ms: performance.now() - started, proc, url };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function timed(url: string, cookie: string): Promise<number> {
  const t = performance.now();
  const response = await fetch(url, { headers: { cookie } });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
  return performance.now() - t;
}

async function main(): Promise<void> {
  console.log("building (skipped when up to date) ...");
  ensureBackendBuilt();
  ensureFrontendBuilt();
  const postgres = await startPostgres();
  const frontendPort = await freePort();
  const backend = await startBackend(await postgres.createDatabase(), `http://127.0.0.1:${frontendPort}`);
  const stops: (() => Promise<unknown>)[] = [() => backend.process.stop()];
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
      await fetch(`${backend.url}/api/${user.id}/tasks`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie, origin },
        body: JSON.stringify({ title: `Task ${i}` }),
      });
    }

    // 1. cold start to first 200 on /healthz (3 runs)
    const starts: number[] = [];
    for (let i = 0; i < 3; i++) {
      const run = await coldStart(backend.url);
      starts.push(run.ms);
      await run.proc.stop();
    }
    starts.sort((a, b) => a - b);

    // 2. the server under measurement
    const run = await coldStart(backend.url);
    stops.push(() => run.proc.stop());
    await sleep(1_000);
    const pid = run.proc.child.pid!;
    const rssIdle = rssMb(pid);

    const path = `/api/${user.id}/tasks?status=all`;
    const direct = `${backend.url}${path}`;
    const proxied = `${run.url}${path}`;
    // warm-up (JIT, connection pools)
    for (let i = 0; i < 100; i++) {
      await timed(direct, cookie);
      await timed(proxied, cookie);
    }
    // 3. 1,000 proxied requests, 10 at a time
    let sent = 0;
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        while (sent < 1_000) {
          sent++;
          await timed(proxied, cookie);
        }
      }),
    );
    const rssAfter = rssMb(pid);

    // 4. latency, one request at a time, direct and proxied interleaved
    const d: number[] = [];
    const p: number[] = [];
    for (let i = 0; i < 500; i++) {
      d.push(await timed(direct, cookie));
      p.push(await timed(proxied, cookie));
    }
    d.sort((a, b) => a - b);
    p.sort((a, b) => a - b);
    const row = (name: string, xs: number[]) => `${name.padEnd(9)} p50 ${percentile(xs, 50).toFixed(2)} ms   p99 ${percentile(xs, 99).toFixed(2)} ms`;

    console.log("\nfrontend benchmark (Next.js standalone, real backend + PostgreSQL, 20 tasks)");
    console.log(`start to first 200 on /healthz: ${starts.map((s) => s.toFixed(0)).join(" / ")} ms (median ${starts[1]!.toFixed(0)} ms; target < ${targets.readyMs} ms)`);
    console.log(`RSS idle: ${rssIdle.toFixed(1)} MB; after 1,000 proxied requests: ${rssAfter.toFixed(1)} MB (target < ${targets.rssMb} MB)`);
    console.log(`GET ${path.replace(user.id, "{user}")}, 500 sequential requests each:`);
    console.log(row("direct", d));
    console.log(row("proxied", p));
    console.log(
      `proxy overhead: p50 ${(percentile(p, 50) - percentile(d, 50)).toFixed(2)} ms, p99 ${(percentile(p, 99) - percentile(d, 99)).toFixed(2)} ms (target p99 < ${targets.overheadP99Ms} ms)`,
    );
  } finally {
    for (const stop of stops.reverse()) await stop();
    postgres.destroy();
  }
}

await main();
