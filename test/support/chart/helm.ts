/**
 * Runs the real helm against apps/chart: `helm template` (to objects) and `helm lint --strict`.
 * Reusable by every suite that needs the chart's rendered output (chart, pulumi, control-plane); helm
 * itself is run by @todo/testkit's one runner (`helm`, `helmOk`, `missingHelm`).
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseAllDocuments } from "yaml";
import { helm, type HelmRun } from "@todo/testkit";
import { parseObjects, type KubeObject } from "./objects.js";

export const repoRoot = resolve(__dirname, "..", "..", "..");
export const chartDir = join(repoRoot, "apps", "chart");

/** The value sets under apps/chart/ci/ (also what chart-testing's `ct lint` would use). */
export const valueSets = ["default", "external-db", "nodeport", "scaled", "existing-secret"] as const;
export type ValueSet = (typeof valueSets)[number];

export function valueSetFile(name: ValueSet): string {
  return join(chartDir, "ci", `${name}-values.yaml`);
}

export interface RenderOptions {
  /** a value set under apps/chart/ci/ applied first */
  valueSet?: ValueSet;
  /** more values, applied after the value set (written to a temporary values file) */
  values?: Record<string, unknown>;
  /** --set-string style overrides, applied last ("backend.replicaCount" -> "x") */
  setString?: Record<string, string>;
  /** release name (default "todo") */
  release?: string;
  /** release namespace (default "todo") */
  namespace?: string;
  /** chart directory (default apps/chart) */
  chart?: string;
}

function valuesArgs(options: RenderOptions, scratch: string): string[] {
  const args: string[] = [];
  if (options.valueSet) args.push("-f", valueSetFile(options.valueSet));
  if (options.values) {
    const file = join(scratch, "values.json");
    writeFileSync(file, JSON.stringify(options.values));
    args.push("-f", file);
  }
  for (const [key, value] of Object.entries(options.setString ?? {})) args.push("--set-string", `${key}=${value}`);
  return args;
}

async function withScratch<T>(work: (scratch: string) => Promise<T>): Promise<T> {
  const scratch = mkdtempSync(join(tmpdir(), "chart-values-"));
  try {
    return await work(scratch);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** `helm template` with the options; resolves with helm's exit code and output (a failure is data). */
export function helmTemplate(options: RenderOptions = {}): Promise<HelmRun> {
  return withScratch((scratch) =>
    helm([
      "template",
      options.release ?? "todo",
      options.chart ?? chartDir,
      "--namespace",
      options.namespace ?? "todo",
      ...valuesArgs(options, scratch),
    ]),
  );
}

export interface Rendered {
  /** helm's YAML output */
  manifest: string;
  /** every object, in helm's order (hooks such as the test Pod included) */
  objects: KubeObject[];
}

/** `helm template` that must succeed: the rendered YAML and its objects. */
export async function renderChart(options: RenderOptions = {}): Promise<Rendered> {
  const run = await helmTemplate(options);
  if (run.code !== 0) {
    throw new Error(`helm template failed (exit ${run.code}) for ${JSON.stringify(options)}:\n${run.stderr}`);
  }
  return { manifest: run.stdout, objects: parseObjects(run.stdout) };
}

/** `helm lint --strict` with the options' values. */
export function lintChart(options: RenderOptions = {}): Promise<HelmRun> {
  return withScratch((scratch) =>
    helm(["lint", "--strict", options.chart ?? chartDir, "--namespace", options.namespace ?? "todo", ...valuesArgs(options, scratch)]),
  );
}

/**
 * What NOTES.txt prints after `helm install` with these options. helm template skips NOTES.txt, so
 * this renders it from a copy of the chart through a throwaway template (no cluster needed).
 */
export async function renderNotes(options: RenderOptions = {}): Promise<string> {
  const copy = mkdtempSync(join(tmpdir(), "chart-notes-"));
  try {
    cpSync(options.chart ?? chartDir, copy, { recursive: true });
    cpSync(join(copy, "templates", "NOTES.txt"), join(copy, "notes-preview.txt"));
    writeFileSync(join(copy, "templates", "notes-preview.yaml"), 'notes: {{ tpl (.Files.Get "notes-preview.txt") . | toJson }}\n');
    const run = await helmTemplate({ ...options, chart: copy });
    if (run.code !== 0) throw new Error(`rendering NOTES.txt failed:\n${run.stderr}`);
    const notes = parseNotes(run.stdout);
    if (notes === undefined) throw new Error("the NOTES preview template rendered nothing");
    return notes;
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

function parseNotes(manifest: string): string | undefined {
  for (const document of parseAllDocuments(manifest)) {
    const value: unknown = document.toJS();
    if (value && typeof value === "object" && "notes" in value && typeof value.notes === "string") return value.notes;
  }
  return undefined;
}
