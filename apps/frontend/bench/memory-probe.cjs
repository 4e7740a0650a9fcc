"use strict";
// Loaded by the bench into the frontend server (`node --require bench/memory-probe.cjs server.js`):
// on SIGUSR2 it writes one JSON line with process.memoryUsage(), the V8 heap limit and the garbage
// collections so far (count, ms) to the file BENCH_MEMORY_FILE names, so the bench can split the RSS
// into heap, external, array buffers and the rest, and say what GC costs. Nothing else about the server changes; the image does not ship it.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- CommonJS: node --require loads it before the server
const { appendFileSync } = require("node:fs");
// eslint-disable-next-line @typescript-eslint/no-require-imports -- as above
const v8 = require("node:v8");
// eslint-disable-next-line @typescript-eslint/no-require-imports -- as above
const { PerformanceObserver } = require("node:perf_hooks");

const file = process.env.BENCH_MEMORY_FILE;
if (file) {
  const gc = { count: 0, ms: 0 };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gc.count++;
      gc.ms += entry.duration;
    }
  }).observe({ entryTypes: ["gc"] });
  process.on("SIGUSR2", () => {
    const usage = process.memoryUsage();
    const code = v8.getHeapCodeStatistics();
    const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name, s.space_size]));
    const line = { ...usage, heapLimit: v8.getHeapStatistics().heap_size_limit, code: code.code_and_metadata_size + code.bytecode_and_metadata_size, spaces, gc };
    appendFileSync(file, `${JSON.stringify(line)}\n`);
  });
}
