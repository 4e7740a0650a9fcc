#!/usr/bin/env node
// The README's test command (`npm test`). Runs every vitest project (one per suite), then prints
// each suite's wall time and a closing line "N passed, N failed, N skipped".
// With REQUIRE_ALL_SUITES=1 (CI) a skipped test is a failure: CI must run every suite.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, relative, sep } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const outDir = join(root, ".test-output");
const report = join(outDir, "vitest-report.json");
mkdirSync(outDir, { recursive: true });
rmSync(report, { force: true });

const vitest = join(root, "node_modules", ".bin", "vitest");
// Test files run side by side, at least two at a time even on 2 cores (vitest's default there is one):
// most of the suite waits on PostgreSQL, Chromium or a rollout. The files that change the host take
// turns on a lock (takeTurnsOnHost, packages/testkit/src/machine-lock.ts). Every project reads
// VITEST_MAX_WORKERS (a project's own vitest.config does not inherit the root's maxWorkers).
const workers = process.env.VITEST_MAX_WORKERS ?? String(Math.max(2, availableParallelism() - 1));
const started = Date.now();
const run = spawnSync(
  vitest,
  ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...process.argv.slice(2)],
  { cwd: root, stdio: "inherit", env: { ...process.env, VITEST_MAX_WORKERS: workers } },
);

let results;
try {
  results = JSON.parse(readFileSync(report, "utf8"));
} catch {
  console.error(`no test report was written (vitest exited ${run.status ?? run.signal}); see the output above`);
  process.exit(run.status || 1);
}

/** apps/backend/src/x.test.ts -> backend; test/chart/x.test.ts -> chart */
function suiteOf(file) {
  const parts = relative(root, file).split(sep);
  if ((parts[0] === "apps" || parts[0] === "test" || parts[0] === "packages") && parts[1]) return parts[1];
  return parts[0] ?? "root";
}

const suites = new Map();
for (const file of results.testResults ?? []) {
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
console.log(`total wall time ${((Date.now() - started) / 1000).toFixed(1)} s (${workers} test files at a time; a suite's wall time runs from its first file's start to its last file's end, so it includes waits for the host lock)`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);

const requireAll = process.env.REQUIRE_ALL_SUITES === "1" || process.env.REQUIRE_ALL_SUITES === "true";
if (requireAll && skipped > 0) {
  console.error(`REQUIRE_ALL_SUITES=1: ${skipped} test(s) skipped; every suite must run here`);
  process.exit(1);
}
if (run.status !== 0 || failed > 0) process.exit(run.status || 1);
if (passed === 0) {
  console.error("no test ran");
  process.exit(1);
}
