/**
 * Runs once when the Next.js server starts, before it serves a request.
 *
 * V8's mid-tier compiler (Maglev) is switched off: compiling Next.js's request path with it left
 * 40-60 MB of malloc'd compiler memory in the process after the first ~1,000 /api requests (freed by V8
 * but kept by glibc's allocator in the compiler threads' arenas), which took the server from 88 MB
 * RSS idle to 125-160 MB; without it, 99-101 MB, with the same throughput (the interpreter, Sparkplug
 * and TurboFan still run). Measured with `npm run bench -w apps/frontend` (README.md, "Benchmark").
 * The flag cannot go in the chart's NODE_OPTIONS (Node rejects V8 compiler flags there), so it is
 * set here; the heap sizes are the chart's (frontend.nodeOptions).
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { setFlagsFromString } = await import("node:v8");
  setFlagsFromString("--no-maglev");
}
