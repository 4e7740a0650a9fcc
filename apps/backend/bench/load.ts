// The load generator of the backend bench: wrk (https://github.com/wg/wrk), one thread pinned to the
// load CPU. A C event loop costs a fraction of what a Node load generator does per request, so on a
// 2-CPU machine the CPU that PostgreSQL shares with the load is not saturated by the load itself and
// the latency figures are the server's, not the generator's scheduling.
import { execFile, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { onLoadCpu } from "./pod.ts";

/** One request of a route's rotation: wrk sends them in turn, round-robin. */
export interface LoadRequest {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/** What one wrk run measured. */
export interface LoadResult {
  /** completed requests */
  total: number;
  /** completed requests per second over the run */
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** responses with a status of 400 or more (wrk counts 3xx as success) */
  non2xx: number;
  /** connect, read, write errors and timeouts */
  errors: number;
}

const WRK = process.env.BENCH_WRK ?? "wrk";
/** the wrk runs in progress, and the directory of the route scripts: stopLoad ends and removes them */
const running = new Set<ChildProcess>();
let scriptDir: string | undefined;
let scripts = 0;

/** A Lua string literal of `text` (its UTF-8 bytes; anything but printable ASCII as a decimal escape). */
const lua = (text: string): string =>
  `"${[...Buffer.from(text, "utf8")].map((b) => (b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c ? String.fromCharCode(b) : `\\${b}`)).join("")}"`;

/** The wrk script: the rotation as pre-formatted requests, and a done() that prints the figures as one JSON line. */
export function wrkScript(requests: LoadRequest[]): string {
  if (requests.length === 0) throw new Error("a route needs at least one request");
  const formatted = requests.map(({ method, path, headers = {}, body }) => {
    const luaHeaders = Object.entries(headers)
      .map(([name, value]) => `[${lua(name)}] = ${lua(value)}`)
      .join(", ");
    return `    wrk.format(${lua(method)}, ${lua(path)}, { ${luaHeaders} }, ${body === undefined ? "nil" : lua(body)}),`;
  });
  return [
    "local requests",
    "local n = 0",
    "-- formatted in init(): wrk sets the Host header (wrk.format adds it) only once the thread starts",
    "init = function()",
    "  requests = {",
    ...formatted,
    "  }",
    "end",
    "request = function()",
    "  n = n % #requests + 1",
    "  return requests[n]",
    "end",
    "done = function(summary, latency)",
    "  local e = summary.errors",
    '  io.write(string.format(\'\\n{"total":%d,"durationUs":%d,"non2xx":%d,"errors":%d,"p50Us":%d,"p99Us":%d}\\n\',',
    "    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,",
    "    latency:percentile(50), latency:percentile(99)))",
    "end",
    "",
  ].join("\n");
}

/** Fails with what to do when wrk is not installed. */
export async function checkWrk(): Promise<void> {
  try {
    await promisify(execFile)(WRK, ["--version"]);
  } catch (error) {
    // wrk --version prints its banner and exits 1; only a missing binary is a problem
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new Error(`the backend bench drives the load with wrk, and "${WRK}" is not on PATH: install it (Debian/Ubuntu: apt-get install wrk; macOS: brew install wrk) or point BENCH_WRK at it`, { cause: error });
    }
  }
}

/** Writes the wrk script of a route (its requests in turn) and returns its path, for runLoad. */
export function writeLoadScript(requests: LoadRequest[]): string {
  scriptDir ??= mkdtempSync(join(tmpdir(), "todo-backend-bench-wrk-"));
  const script = join(scriptDir, `route-${++scripts}.lua`);
  writeFileSync(script, wrkScript(requests));
  return script;
}

/** Runs wrk with a writeLoadScript script (one thread, on the load CPU) against `base` for `seconds` with `connections`. */
export async function runLoad(base: string, script: string, connections: number, seconds: number): Promise<LoadResult> {
  const [command, args] = onLoadCpu([WRK, "-t1", `-c${connections}`, `-d${seconds}s`, "--timeout", "10s", "-s", script, base]);
  let child: ChildProcess | undefined;
  try {
    const stdout = await new Promise<string>((resolve, reject) => {
      child = execFile(command, args, { encoding: "utf8" }, (error, out) => (error ? reject(error) : resolve(out)));
      running.add(child);
    });
    const line = stdout.split("\n").find((l) => l.startsWith('{"total"'));
    if (!line) throw new Error(`wrk printed no figures:\n${stdout}`);
    const r = JSON.parse(line) as { total: number; durationUs: number; non2xx: number; errors: number; p50Us: number; p99Us: number };
    return { total: r.total, perSecond: r.total / (r.durationUs / 1e6), p50Ms: r.p50Us / 1000, p99Ms: r.p99Us / 1000, non2xx: r.non2xx, errors: r.errors };
  } finally {
    if (child) running.delete(child);
  }
}

/** Ends every wrk run in progress and removes the route scripts (the bench's clean-up, also on Ctrl-C). */
export function stopLoad(): void {
  for (const child of running) child.kill("SIGKILL");
  running.clear();
  if (scriptDir) rmSync(scriptDir, { recursive: true, force: true });
}
