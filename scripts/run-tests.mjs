#!/usr/bin/env node
// The README's test command (`npm test`). Runs every vitest project (one per suite), then prints
// each suite's wall time and a closing line "N passed, N failed, N skipped".
// With REQUIRE_ALL_SUITES=1 (CI) a skipped test is a failure: CI must run every suite.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, relative, sep } from "node:path";
import { takesTurnsOnHost } from "./test-lanes.mts";

const root = new URL("..", import.meta.url).pathname;
const outDir = join(root, ".test-output");
mkdirSync(outDir, { recursive: true });

const vitest = join(root, "node_modules", ".bin", "vitest");
// Test files run side by side, at least two at a time even on 2 cores (vitest's default there is one):
// most of the suite waits on PostgreSQL, Chromium or a rollout. Every project reads VITEST_MAX_WORKERS
// (a project's own vitest.config does not inherit the root's maxWorkers).
const workers = process.env.VITEST_MAX_WORKERS ?? String(Math.max(2, availableParallelism() - 1));
const args = process.argv.slice(2);

/**
 * The files that change the host take turns on one lock (takeTurnsOnHost, packages/testkit/src/machine-lock.ts).
 * In one pool, a file waiting for that lock, or in its gate for a Go build still running on a cold CI
 * machine, would keep a worker from the other files, and a static order cannot know when the lock frees.
 * So the whole suite runs in two lanes, two vitest runs side by side: the host lane, those files one at a
 * time in the order of scripts/test-lanes.mts (the sequencer), and the other files `workers` at a time.
 * With arguments (`npm test -- --project chart`, a file filter) it is one run, as vitest's own.
 */
function lanes() {
  if (args.length > 0) return [{ name: "all", files: [], workers }];
  const list = spawnSync(vitest, ["list", "--filesOnly", "--json"], { cwd: root, encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
  const start = list.stdout.indexOf("[");
  if (list.status !== 0 || start < 0) {
    console.error(`vitest list --filesOnly failed (exit ${list.status ?? list.signal}):\n${list.stderr}`);
    process.exit(1);
  }
  const files = [...new Set(JSON.parse(list.stdout.slice(start)).map((entry) => entry.file))];
  const host = files.filter((file) => takesTurnsOnHost(readFileSync(file, "utf8")));
  const rest = files.filter((file) => !host.includes(file));
  return [
    { name: "host", files: host, workers: "1" },
    { name: "rest", files: rest, workers },
  ].filter((lane) => lane.files.length > 0);
}

/** One vitest run; resolves with its exit status and its JSON report's path. */
function run(lane) {
  const report = join(outDir, `vitest-report-${lane.name}.json`);
  rmSync(report, { force: true });
  const child = spawn(
    vitest,
    ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...args, ...lane.files],
    { cwd: root, stdio: "inherit", env: { ...process.env, VITEST_MAX_WORKERS: lane.workers } },
  );
  return new Promise((resolve) => child.on("exit", (code, signal) => resolve({ lane, report, status: code ?? (signal ? 1 : 0), signal })));
}

const started = Date.now();
const planned = lanes();
for (const lane of planned) {
  if (lane.name !== "all") console.log(`[npm test] ${lane.name} lane: ${lane.files.length} test files, ${lane.workers} at a time`);
}
const runs = await Promise.all(planned.map(run));

const testResults = [];
for (const { lane, report, status, signal } of runs) {
  try {
    testResults.push(...(JSON.parse(readFileSync(report, "utf8")).testResults ?? []));
  } catch {
    console.error(`no test report was written by the ${lane.name} run (vitest exited ${signal ?? status}); see the output above`);
    process.exit(status || 1);
  }
}

/** apps/backend/src/x.test.ts -> backend; test/chart/x.test.ts -> chart */
function suiteOf(file) {
  const parts = relative(root, file).split(sep);
  if ((parts[0] === "apps" || parts[0] === "test" || parts[0] === "packages") && parts[1]) return parts[1];
  return parts[0] ?? "root";
}

const suites = new Map();
for (const file of testResults) {
  const name = suiteOf(file.name);
  const s = suites.get(name) ?? { passed: 0, failed: 0, skipped: 0, start: Infinity, end: 0 };
  for (const t of file.assertionResults ?? []) {
    if (t.status === "passed") s.passed++;
    else if (t.status === "failed") s.failed++;
    else s.skipped++;
  }
  // a file that failed to load has no assertions but must count as a failure
  if (file.status === "failed" && !(file.assertionResults ?? []).some((t) => t.status === "failed")) s.failed++;
  s.start = Math.min(s.start, file.startTime ?? Infinity);
  s.end = Math.max(s.end, file.endTime ?? 0);
  suites.set(name, s);
}

const pad = (v, n) => String(v).padEnd(n);
console.log(`\n${pad("suite", 16)}${pad("passed", 8)}${pad("failed", 8)}${pad("skipped", 9)}wall time`);
let passed = 0, failed = 0, skipped = 0;
for (const [name, s] of [...suites].sort(([a], [b]) => a.localeCompare(b))) {
  passed += s.passed; failed += s.failed; skipped += s.skipped;
  const secs = Number.isFinite(s.start) ? ((s.end - s.start) / 1000).toFixed(1) : "0.0";
  console.log(`${pad(name, 16)}${pad(s.passed, 8)}${pad(s.failed, 8)}${pad(s.skipped, 9)}${secs} s`);
}
const laneNote = planned.map((lane) => `${lane.name === "all" ? "" : `${lane.name} lane `}${lane.workers} at a time`).join(", ");
console.log(`total wall time ${((Date.now() - started) / 1000).toFixed(1)} s (test files ${laneNote}; a suite's wall time runs from its first file's start to its last file's end, so it includes waits for the host lock and for Go builds)`);
// when each host-lock file ran: on a cold machine, the line the run's end waits for
const hostFiles = testResults.filter((file) => runs.some(({ lane }) => lane.name === "host" && lane.files.includes(file.name)));
if (hostFiles.length > 0) {
  console.log("host lane, each file's tests (its beforeAll/afterAll hooks and import fall in the gaps; seconds from the start of npm test):");
  for (const file of hostFiles.sort((a, b) => (a.startTime ?? 0) - (b.startTime ?? 0))) {
    const from = (((file.startTime ?? started) - started) / 1000).toFixed(0);
    const to = (((file.endTime ?? started) - started) / 1000).toFixed(0);
    console.log(`  ${from.padStart(5)}-${to.padEnd(5)} ${relative(root, file.name)}`);
  }
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);

const requireAll = process.env.REQUIRE_ALL_SUITES === "1" || process.env.REQUIRE_ALL_SUITES === "true";
if (requireAll && skipped > 0) {
  console.error(`REQUIRE_ALL_SUITES=1: ${skipped} test(s) skipped; every suite must run here`);
  process.exit(1);
}
const status = runs.find((r) => r.status !== 0)?.status ?? 0;
if (status !== 0 || failed > 0) process.exit(status || 1);
if (passed === 0) {
  console.error("no test ran");
  process.exit(1);
}
