/**
 * kagent's own CRD files for the pinned release, when they are on this machine (see
 * test/fixtures/kagent/SOURCE.md): $KAGENT_CRD_DIR, test/fixtures/kagent/, or ../shared/fixtures/kagent/.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import { type StructuralSchema } from "./structural-schema";

const repoRoot = resolve(__dirname, "..", "..", "..");

export const CRD_DIRS = [
  process.env.KAGENT_CRD_DIR,
  join(repoRoot, "test", "fixtures", "kagent"),
  join(repoRoot, "..", "shared", "fixtures", "kagent"),
].filter((d): d is string => Boolean(d));

export interface UpstreamCrd {
  file: string;
  group: string;
  kind: string;
  versions: { name: string; served: boolean; storage: boolean; schema: StructuralSchema }[];
}

interface CrdDocument {
  kind: string;
  spec: {
    group: string;
    names: { kind: string };
    versions: { name: string; served: boolean; storage: boolean; schema: { openAPIV3Schema: StructuralSchema } }[];
  };
}

/** Loads kagent.dev_<plural>.yaml from the first directory that has it, or undefined. */
export function loadUpstreamCrd(plural: string): UpstreamCrd | undefined {
  for (const dir of CRD_DIRS) {
    const file = join(dir, `kagent.dev_${plural}.yaml`);
    if (!existsSync(file)) continue;
    const doc = parse(readFileSync(file, "utf8")) as CrdDocument;
    if (doc.kind !== "CustomResourceDefinition") throw new Error(`${file} is not a CustomResourceDefinition`);
    return {
      file,
      group: doc.spec.group,
      kind: doc.spec.names.kind,
      versions: doc.spec.versions.map((v) => ({
        name: v.name,
        served: v.served,
        storage: v.storage,
        schema: v.schema.openAPIV3Schema,
      })),
    };
  }
  return undefined;
}

/**
 * Differences between a hand-written subset schema and the upstream schema: every field of the
 * subset must exist upstream with the same type, enum, limits, default and required list, and
 * every CEL rule of the subset must be one of upstream's rules at the same place.
 */
export function subsetMismatches(subset: StructuralSchema, upstream: StructuralSchema, path = ""): string[] {
  const out: string[] = [];
  const here = path || "/";
  for (const key of ["type", "format", "pattern", "minLength", "maxLength", "maxItems", "minItems", "x-kubernetes-int-or-string"] as const) {
    if (subset[key] !== upstream[key]) out.push(`${here}: ${key} is ${String(subset[key])} here, ${String(upstream[key])} upstream`);
  }
  if (JSON.stringify(subset.default) !== JSON.stringify(upstream.default)) out.push(`${here}: default differs`);
  if (JSON.stringify([...(subset.enum ?? [])].sort()) !== JSON.stringify([...(upstream.enum ?? [])].sort())) {
    out.push(`${here}: enum ${JSON.stringify(subset.enum)} here, ${JSON.stringify(upstream.enum)} upstream`);
  }
  if (JSON.stringify([...(subset.required ?? [])].sort()) !== JSON.stringify([...(upstream.required ?? [])].sort())) {
    out.push(`${here}: required ${JSON.stringify(subset.required)} here, ${JSON.stringify(upstream.required)} upstream`);
  }
  const upstreamRules = new Set((upstream["x-kubernetes-validations"] ?? []).map((r) => r.rule));
  for (const { rule } of subset["x-kubernetes-validations"] ?? []) {
    if (!upstreamRules.has(rule)) out.push(`${here}: CEL rule not upstream: ${rule}`);
  }
  for (const [key, child] of Object.entries(subset.properties ?? {})) {
    const other = upstream.properties?.[key];
    if (!other) out.push(`${path}/${key}: no such field upstream`);
    else out.push(...subsetMismatches(child, other, `${path}/${key}`));
  }
  if (subset.items) {
    if (!upstream.items) out.push(`${here}: not an array upstream`);
    else out.push(...subsetMismatches(subset.items, upstream.items, `${path}[]`));
  }
  if (typeof subset.additionalProperties === "object") {
    if (typeof upstream.additionalProperties !== "object") out.push(`${here}: no additionalProperties schema upstream`);
    else out.push(...subsetMismatches(subset.additionalProperties, upstream.additionalProperties, `${path}{}`));
  }
  return out;
}
