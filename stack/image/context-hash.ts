/**
 * The image tag: a hash of exactly what a Dockerfile can read from its build context. Files left out by
 * .dockerignore and files the Dockerfile never COPYs do not count, so an unchanged app keeps its tag
 * (no rebuild, no rollout) and a change to one app changes only that app's tag.
 */
import { createHash } from "node:crypto";
import { lstatSync, readFileSync, readlinkSync } from "node:fs";
import { join, posix } from "node:path";
import { dockerfileSources, type DockerfileSources } from "./dockerfile-sources.ts";
import { buildContextFiles, globToRegExp, matchesOrParentMatches } from "./dockerignore.ts";

export interface ContextHashInput {
  /** the build context directory (absolute, or relative to the working directory) */
  readonly contextDir: string;
  /** the Dockerfile, relative to the context directory (e.g. "apps/backend/Dockerfile") */
  readonly dockerfile: string;
  /** build arguments and target: they change the image, so they change the tag */
  readonly buildArgs?: Readonly<Record<string, string>>;
  /** the platform built for ("linux/arm64"); part of the tag, so an image of another platform never shares it */
  readonly platform?: string;
  readonly target?: string;
}

export interface ContextHash {
  /** 16 hex characters, used as the image tag */
  readonly tag: string;
  /** the full sha256 */
  readonly digest: string;
  /** the context-relative files that went into the hash, sorted */
  readonly files: readonly string[];
}

/** Keeps the files a Dockerfile's COPY/ADD sources can reach. */
export function selectCopiedFiles(files: readonly string[], sources: DockerfileSources): string[] {
  if (sources.wholeContext) return [...files];
  const regexes = sources.paths.map((path) => globToRegExp(path));
  return files.filter((file) => regexes.some((regex) => matchesOrParentMatches(regex, file)));
}

/** Computes the tag of one image from its context, Dockerfile, build args and target. */
export function contextHash(input: ContextHashInput): ContextHash {
  const dockerfilePath = join(input.contextDir, input.dockerfile);
  const dockerfileText = readFileSync(dockerfilePath, "utf8");
  const files = selectCopiedFiles(buildContextFiles(input.contextDir, input.dockerfile), dockerfileSources(dockerfileText));
  const hash = createHash("sha256");
  hash.update(`dockerfile\0${posix.normalize(input.dockerfile)}\0${dockerfileText}\0`);
  for (const [key, value] of Object.entries(input.buildArgs ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    hash.update(`arg\0${key}=${value}\0`);
  }
  hash.update(`target\0${input.target ?? ""}\0`);
  // only when set, so that the tags of images built for the daemon's own platform stay what they were
  if (input.platform) hash.update(`platform\0${input.platform}\0`);
  for (const file of files) {
    const abs = join(input.contextDir, file);
    const stat = lstatSync(abs);
    const content = stat.isSymbolicLink() ? `symlink:${readlinkSync(abs)}` : readFileSync(abs);
    const executable = (stat.mode & 0o111) !== 0 ? "x" : "-";
    hash.update(`file\0${file}\0${executable}\0`);
    hash.update(createHash("sha256").update(content).digest("hex"));
  }
  const digest = hash.digest("hex");
  return { tag: digest.slice(0, 16), digest, files };
}
