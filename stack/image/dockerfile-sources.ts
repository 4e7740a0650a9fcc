/**
 * Which parts of the build context a Dockerfile can read: the sources of its COPY/ADD instructions that
 * come from the context (not `--from=` another stage or image). Two images that share the repository
 * root as context then get independent content hashes. Pure.
 */
import { cleanPattern } from "./dockerignore.ts";

/** `paths` are context-relative globs; `wholeContext` means the Dockerfile may read anything. */
export interface DockerfileSources {
  readonly wholeContext: boolean;
  readonly paths: readonly string[];
}

/** Joins continuation lines (trailing "\") and drops comments and blank lines. */
export function dockerfileInstructions(text: string): string[] {
  const escapeDirective = /^#\s*escape\s*=\s*`/im.test(text.split(/\r?\n/).slice(0, 5).join("\n"));
  const escape = escapeDirective ? "`" : "\\";
  const out: string[] = [];
  let current = "";
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trimEnd();
    if (current === "" && /^\s*#/.test(line)) continue;
    if (current !== "" && /^\s*#/.test(line)) continue; // comments inside a continuation are dropped
    if (line.endsWith(escape)) {
      current += `${line.slice(0, -1)} `;
      continue;
    }
    current += line;
    if (current.trim() !== "") out.push(current.trim());
    current = "";
  }
  if (current.trim() !== "") out.push(current.trim());
  return out;
}

function splitArgs(rest: string): string[] {
  const trimmed = rest.trim();
  if (trimmed.startsWith("[")) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (Array.isArray(parsed) && parsed.every((v) => typeof v === "string")) return parsed as string[];
    } catch {
      // not JSON: fall through to the shell form
    }
  }
  return trimmed.split(/\s+/).filter((token) => token !== "");
}

/** Parses the context sources of every COPY/ADD; anything it cannot pin down means "whole context". */
export function dockerfileSources(text: string): DockerfileSources {
  const paths = new Set<string>();
  let wholeContext = false;
  for (const instruction of dockerfileInstructions(text)) {
    const match = /^(\w+)\s+(.*)$/s.exec(instruction);
    if (!match) continue;
    const keyword = (match[1] as string).toUpperCase();
    const rest = match[2] as string;
    if (keyword === "RUN" && /--mount=[^\s]*type=bind/.test(rest) && !/--mount=[^\s]*from=/.test(rest)) {
      wholeContext = true; // a bind mount of the context can read anything
      continue;
    }
    if (keyword !== "COPY" && keyword !== "ADD") continue;
    const flagged = /^((?:--[\w-]+(?:=\S*)?\s+)*)(.*)$/s.exec(rest);
    const flags = flagged?.[1] ?? "";
    if (/--from=/.test(flags)) continue; // copies from another stage or image, not the context
    const args = splitArgs(flagged?.[2] ?? rest);
    if (args.length < 2) {
      wholeContext = true;
      continue;
    }
    for (const source of args.slice(0, -1)) {
      if (/^(https?:\/\/|git@)/.test(source)) continue; // remote ADD
      if (source.includes("$")) {
        wholeContext = true; // an ARG/ENV-expanded source: cannot know which files
        continue;
      }
      const clean = cleanPattern(source);
      if (clean === "." || clean === "*" || clean === "**") wholeContext = true;
      else paths.add(clean);
    }
  }
  return { wholeContext, paths: [...paths].sort() };
}
