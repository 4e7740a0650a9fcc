/**
 * `npm run bench:images` (run with tsx): figures for the two images, not assertions: bytes over the
 * base image, total size, compressed size (save | gzip), layer count, build time cold (--no-cache) and
 * after a source-only change, container start to healthy (its own HEALTHCHECK command passes).
 * Targets: <= 60 MB over the base for each image; a source-only rebuild < 30 s.
 *
 *   npm run bench:images                 # both images, cold builds included (slow: npm ci + next build)
 *   npm run bench:images -- --warm       # skip the --no-cache builds
 *   npm run bench:images -- backend      # one image
 *
 * It lives with the images suite because it drives the same helpers (container-engine.ts, the build
 * context copy); engine: docker when a daemon answers, else podman from ../shared/tools/container-engine.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createGzip } from "node:zlib";
import { freePort, startPostgres } from "@todo/testkit";
import {
  type Engine,
  buildImage,
  detectEngine,
  engineOutput,
  hardenedRunFlags,
  healthcheckOf,
  inspectImage,
  repoRoot,
  runCommand,
} from "./container-engine.js";
import { copyContext } from "./build-context.js";

type App = "backend" | "frontend";

const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;
const seconds = (s: number): string => `${s.toFixed(1)} s`;
const log = (line: string): boolean => process.stderr.write(`[bench:images] ${line}\n`);

/** `save | gzip` byte count, streamed (nothing written to disk). */
function compressedSize(engine: Engine, image: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const save = spawn(engine.bin, ["save", image], { stdio: ["ignore", "pipe", "pipe"] });
    let bytes = 0;
    let errors = "";
    save.stderr.on("data", (chunk: Buffer) => (errors += chunk.toString()));
    const gzip = createGzip({ level: 6 });
    gzip.on("data", (chunk: Buffer) => (bytes += chunk.length));
    gzip.on("end", () => resolve(bytes));
    save.stdout.pipe(gzip);
    save.on("exit", (code) => {
      if (code !== 0) reject(new Error(`${engine.kind} save ${image} failed: ${errors}`));
    });
  });
}

/** Seconds from `run -d` until the image's own HEALTHCHECK command passes inside the container. */
async function startToHealthy(engine: Engine, image: string, env: Record<string, string>, healthcheck: string[]): Promise<number> {
  const name = `todo-bench-${process.pid}-${randomBytes(3).toString("hex")}`;
  const envArgs = Object.entries(env).flatMap(([key, value]) => ["-e", `${key}=${value}`]);
  const started = performance.now();
  await engineOutput(engine, ["run", "-d", "--name", name, ...hardenedRunFlags(engine), ...envArgs, image]);
  try {
    for (let i = 0; i < 1200; i++) {
      const probe = await runCommand(engine.bin, ["exec", name, ...healthcheck], { timeoutMs: 10_000 });
      if (probe.code === 0) return (performance.now() - started) / 1000;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${image} did not become healthy within 2 minutes`);
  } finally {
    await runCommand(engine.bin, ["rm", "-f", name]);
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const warm = args.includes("--warm");
  const wanted = args.filter((a) => !a.startsWith("--"));
  const apps = (
    [
      { app: "backend", sourceFile: "apps/backend/src/server.ts" },
      { app: "frontend", sourceFile: "apps/frontend/src/app/page.tsx" },
    ] satisfies { app: App; sourceFile: string }[]
  ).filter(({ app }) => wanted.length === 0 || wanted.includes(app));

  const engine = detectEngine();
  if ("missing" in engine) {
    console.error(`bench:images: ${engine.missing}`);
    process.exit(1);
  }

  const postgres = await startPostgres();
  const databaseUrl = await postgres.createDatabase();
  const backendPort = await freePort();
  const frontendPort = await freePort();
  const envFor: Record<App, Record<string, string>> = {
    backend: {
      PORT: String(backendPort),
      DATABASE_URL: databaseUrl,
      BETTER_AUTH_SECRET: randomBytes(32).toString("hex"),
      PUBLIC_URL: `http://127.0.0.1:${frontendPort}`,
      LOG_LEVEL: "warn",
    },
    frontend: { PORT: String(frontendPort), BACKEND_URL: `http://127.0.0.1:${backendPort}` },
  };

  const results: Record<string, string>[] = [];
  try {
    const base = await inspectImage(engine, engine.baseImage).catch(() => undefined);
    for (const { app, sourceFile } of apps) {
      const tag = `localhost/todo-chatbot-${app}:bench`;
      const dockerfile = `apps/${app}/Dockerfile`;
      let cold: number | undefined;
      if (!warm) {
        log(`${app}: cold build (--no-cache)…`);
        // a cold build: no layer from the cache (the base image itself stays)
        const started = performance.now();
        const result = await runCommand(
          "nice",
          [
            "-n", "10", engine.bin, "build", "--no-cache", "--network=host",
            ...(engine.kind === "podman" ? ["--format", "docker"] : []),
            "-f", join(repoRoot, dockerfile), "-t", tag, "--build-arg", `NODE_IMAGE=${engine.baseImage}`, repoRoot,
          ],
          { timeoutMs: 60 * 60_000 },
        );
        if (result.code !== 0) throw new Error(`cold build of ${app} failed:\n${(result.stdout + result.stderr).slice(-4000)}`);
        cold = (performance.now() - started) / 1000;
      } else {
        log(`${app}: build (warm cache)…`);
        await buildImage(engine, { dockerfile, tag });
      }

      log(`${app}: source-only rebuild…`);
      const copy = mkdtempSync(join(tmpdir(), "todo-bench-context-"));
      let rebuild: number;
      try {
        copyContext(repoRoot, copy, dockerfile);
        // warm the copy's cache first (identical content: every step is a cache hit), then change one file
        await buildImage(engine, { context: copy, dockerfile, tag: `${tag}-rebuild` });
        appendFileSync(join(copy, sourceFile), `\n// bench: a source-only change ${Date.now()}\n`);
        rebuild = (await buildImage(engine, { context: copy, dockerfile, tag: `${tag}-rebuild` })).seconds;
      } finally {
        rmSync(copy, { recursive: true, force: true });
        await runCommand(engine.bin, ["rmi", "-f", `${tag}-rebuild`]);
      }

      const info = await inspectImage(engine, tag);
      const layers = info.RootFS.Layers?.length ?? 0;
      const baseLayers = base?.RootFS.Layers?.length ?? 0;
      log(`${app}: save | gzip…`);
      const compressed = await compressedSize(engine, tag);
      log(`${app}: start to healthy…`);
      const healthy = await startToHealthy(engine, tag, envFor[app], healthcheckOf(info).slice(1));
      results.push({
        image: `todo-chatbot-${app}`,
        "over base": base ? mb(info.Size - base.Size) : "n/a",
        total: mb(info.Size),
        "save|gzip": mb(compressed),
        layers: `${layers} (${layers - baseLayers} over base)`,
        "cold build": cold === undefined ? "skipped (--warm)" : seconds(cold),
        "source-only rebuild": seconds(rebuild),
        "start to healthy": seconds(healthy),
      });
    }
  } finally {
    postgres.destroy();
  }

  console.log(`\nengine: ${engine.kind}, base image: ${engine.baseImage}, targets: <= 60 MB over base, source-only rebuild < 30 s`);
  console.table(results);
}

main().catch((error: unknown) => {
  console.error(`bench:images: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
