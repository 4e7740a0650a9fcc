/**
 * The container engine (docker or podman, not the Pulumi engine) that the image suite and
 * `npm run bench:images` (bench.ts) drive: `docker` when a daemon answers, otherwise podman as set up by
 * ../shared/tools/container-engine (which also builds a local Node base image, since no image registry
 * is reachable on these machines).
 */
import { execFile, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { findExecutable } from "@todo/testkit";

/** The repository root (the build context). */
export const repoRoot = resolve(__dirname, "..", "..");

export interface Engine {
  readonly kind: "docker" | "podman";
  /** absolute path of the CLI */
  readonly bin: string;
  /** the NODE_IMAGE build arg: the official image for docker, the local base for podman */
  readonly baseImage: string;
}

export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to completion; never throws for a non-zero exit (the caller decides). */
export function runCommand(
  command: string,
  args: readonly string[],
  { timeoutMs = 600_000, env }: { timeoutMs?: number; env?: Record<string, string> } = {},
): Promise<CommandResult> {
  return new Promise((done) => {
    execFile(
      command,
      [...args],
      { timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024, env: { ...process.env, ...env } },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
        done({ code, stdout: stdout.toString(), stderr: stderr.toString() + (error && code === 1 && !stderr ? error.message : "") });
      },
    );
  });
}

/** The path of ../shared/tools/container-engine beside the repository (CONTAINER_ENGINE_TOOL overrides). */
export function containerEngineTool(): string {
  return process.env.CONTAINER_ENGINE_TOOL ?? resolve(repoRoot, "..", "shared", "tools", "container-engine");
}

const setupHint =
  'run `export PATH="$(../shared/tools/node24):$PATH"; ../shared/tools/container-engine` (podman + a local Node 24 base image), or start a Docker daemon';

/**
 * Finds a usable engine, or returns why there is none and how to get one. podman set up by
 * container-engine comes first: where it is ready, DOCKER_HOST usually points at podman's own Docker API
 * (as in CI), and the `docker` CLI would then reach podman without the local base image as NODE_IMAGE.
 */
export function detectEngine(): Engine | { missing: string } {
  const podman = findExecutable("podman");
  const tool = containerEngineTool();
  if (podman && existsSync(tool) && spawnSync(tool, ["--check"], { stdio: "ignore", timeout: 120_000 }).status === 0) {
    return { kind: "podman", bin: podman, baseImage: process.env.NODE_BASE_IMAGE ?? "localhost/node-base:bookworm" };
  }
  const docker = findExecutable("docker");
  if (docker && spawnSync(docker, ["info"], { stdio: "ignore", timeout: 20_000 }).status === 0) {
    return { kind: "docker", bin: docker, baseImage: process.env.NODE_IMAGE ?? "node:24-bookworm-slim" };
  }
  if (!podman) return { missing: `neither a Docker daemon nor podman found; ${setupHint}` };
  if (!existsSync(tool)) return { missing: `podman found but ${tool} is missing; set CONTAINER_ENGINE_TOOL or ${setupHint}` };
  return { missing: `podman cannot run the Node base image yet; ${setupHint}` };
}

export interface BuildRequest {
  /** path of the Dockerfile relative to the context, e.g. apps/backend/Dockerfile */
  readonly dockerfile: string;
  readonly tag: string;
  /** build context directory (default: the repository root) */
  readonly context?: string;
  readonly buildArgs?: Readonly<Record<string, string>>;
}

export interface BuildResult {
  /** everything the build printed, stdout then stderr */
  readonly output: string;
  readonly seconds: number;
}

/**
 * Builds an image with the engine's CLI, niced (the machine is shared: IMAGES_BUILD_NICE, default 10; CI sets 0 so
 * the builds keep pace beside its Go builds); throws with the build's tail on failure.
 */
export async function buildImage(engine: Engine, request: BuildRequest): Promise<BuildResult> {
  const context = request.context ?? repoRoot;
  const buildArgs = { NODE_IMAGE: engine.baseImage, ...request.buildArgs };
  const args = [
    "-n",
    process.env["IMAGES_BUILD_NICE"] ?? "10",
    engine.bin,
    "build",
    "--network=host",
    // podman writes OCI images by default, which drop HEALTHCHECK; the docker format keeps it
    ...(engine.kind === "podman" ? ["--format", "docker"] : []),
    "-f",
    join(context, request.dockerfile),
    "-t",
    request.tag,
    ...Object.entries(buildArgs).flatMap(([key, value]) => ["--build-arg", `${key}=${value}`]),
    context,
  ];
  const started = Date.now();
  const result = await runCommand("nice", args, { timeoutMs: 30 * 60_000, env: { BUILDKIT_PROGRESS: "plain" } });
  const output = `${result.stdout}\n${result.stderr}`;
  if (result.code !== 0) {
    throw new Error(`${engine.kind} build of ${request.dockerfile} failed (exit ${result.code}):\n${output.slice(-6000)}`);
  }
  return { output, seconds: (Date.now() - started) / 1000 };
}

/** The parts of `image inspect` the suite and the benchmark read. */
export interface Healthcheck {
  readonly Test?: string[];
}

export interface ImageInfo {
  readonly Id: string;
  /** podman's `image inspect` reports the HEALTHCHECK here, docker's under Config */
  readonly Healthcheck?: Healthcheck | null;
  readonly Size: number;
  readonly Config: {
    readonly User?: string;
    readonly Env?: string[] | null;
    readonly Cmd?: string[] | null;
    readonly Entrypoint?: string[] | null;
    readonly Labels?: Record<string, string> | null;
    readonly Healthcheck?: Healthcheck | null;
    readonly ExposedPorts?: Record<string, unknown> | null;
  };
  readonly RootFS: { readonly Layers?: string[] | null };
}

/** The image's HEALTHCHECK, wherever the engine reports it. */
export function healthcheckOf(info: ImageInfo | undefined): string[] {
  return info?.Config.Healthcheck?.Test ?? info?.Healthcheck?.Test ?? [];
}

export async function inspectImage(engine: Engine, image: string): Promise<ImageInfo> {
  const result = await runCommand(engine.bin, ["image", "inspect", image]);
  if (result.code !== 0) throw new Error(`cannot inspect image ${image}: ${result.stderr.trim()}`);
  const parsed = JSON.parse(result.stdout) as ImageInfo[];
  const info = parsed[0];
  if (!info) throw new Error(`image inspect ${image} returned nothing`);
  return info;
}

/** Runs an engine subcommand and returns stdout; throws with stderr when it fails. */
export async function engineOutput(engine: Engine, args: readonly string[], timeoutMs = 120_000): Promise<string> {
  const result = await runCommand(engine.bin, args, { timeoutMs });
  if (result.code !== 0) {
    throw new Error(`${engine.kind} ${args.join(" ")} failed (exit ${result.code}): ${(result.stderr || result.stdout).trim().slice(-3000)}`);
  }
  return result.stdout;
}

/**
 * Flags that give a container what Kubernetes gives it under the chart's securityContext: numeric
 * non-root user, read-only root filesystem with only /tmp writable, no capabilities, host network
 * (so it reaches PostgreSQL and the other container on loopback).
 */
export function hardenedRunFlags(engine: Engine): string[] {
  return [
    "--read-only",
    // podman's --read-only also mounts tmpfs on /run and /var/tmp unless told not to; Kubernetes does not
    ...(engine.kind === "podman" ? ["--read-only-tmpfs=false"] : []),
    "--tmpfs",
    "/tmp",
    "--cap-drop",
    "ALL",
    "--security-opt",
    "no-new-privileges",
    "--user",
    "10001:10001",
    "--network=host",
  ];
}
