/**
 * Validates an object the way the Kubernetes API server validates a custom resource against its
 * CRD's structural schema: OpenAPI v3 types/enums/required/limits through ajv, unknown fields
 * rejected (as with kubectl's default strict field validation, where the server would otherwise
 * prune them silently), and the `x-kubernetes-validations` CEL rules evaluated with a CEL engine.
 */
import { evaluate } from "@marcbachmann/cel-js";
import Ajv from "ajv";

export interface CelRule {
  rule: string;
  message?: string;
}

export interface StructuralSchema {
  type?: string;
  description?: string;
  properties?: Record<string, StructuralSchema>;
  items?: StructuralSchema;
  additionalProperties?: StructuralSchema | boolean;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  nullable?: boolean;
  anyOf?: StructuralSchema[];
  "x-kubernetes-preserve-unknown-fields"?: boolean;
  "x-kubernetes-int-or-string"?: boolean;
  "x-kubernetes-embedded-resource"?: boolean;
  "x-kubernetes-validations"?: CelRule[];
  [extension: `x-kubernetes-${string}`]: unknown;
}

type JsonSchema = Record<string, unknown>;

/** Converts a structural schema to a JSON schema for ajv, closing every object that lists its properties. */
export function toJsonSchema(s: StructuralSchema): JsonSchema {
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(s)) {
    if (key.startsWith("x-kubernetes-") || key === "description" || key === "format" || key === "nullable") continue;
    if (key === "properties" && value && typeof value === "object") {
      out.properties = Object.fromEntries(
        Object.entries(value as Record<string, StructuralSchema>).map(([k, v]) => [k, toJsonSchema(v)]),
      );
    } else if (key === "items" || (key === "additionalProperties" && typeof value === "object")) {
      out[key] = toJsonSchema(value as StructuralSchema);
    } else if (key === "anyOf") {
      out.anyOf = (value as StructuralSchema[]).map(toJsonSchema);
    } else {
      out[key] = value;
    }
  }
  if (s["x-kubernetes-int-or-string"]) {
    // An int-or-string: string-only keywords such as pattern apply to the string form.
    const stringForm: JsonSchema = { type: "string" };
    if (out.pattern !== undefined) stringForm.pattern = out.pattern;
    delete out.type;
    delete out.pattern;
    out.anyOf = [{ type: "integer" }, stringForm];
  }
  if (s.nullable && typeof out.type === "string") out.type = [out.type, "null"];
  const preserve = s["x-kubernetes-preserve-unknown-fields"] === true || s["x-kubernetes-embedded-resource"] === true;
  if (s.properties && s.additionalProperties === undefined && !preserve) out.additionalProperties = false;
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Evaluates every CEL rule of the schema tree against the parts of `value` that are present. */
export function celViolations(schema: StructuralSchema, value: unknown, path = ""): string[] {
  const problems: string[] = [];
  for (const { rule, message } of schema["x-kubernetes-validations"] ?? []) {
    if (rule.includes("oldSelf")) continue; // transition rules need a previous object
    let ok: unknown;
    try {
      ok = evaluate(rule, { self: value });
    } catch (error) {
      problems.push(`${path || "/"}: rule ${rule} could not be evaluated: ${(error as Error).message}`);
      continue;
    }
    if (ok !== true) problems.push(`${path || "/"}: ${message ?? "violates"} (rule: ${rule})`);
  }
  if (isObject(value)) {
    for (const [key, child] of Object.entries(value)) {
      const sub = schema.properties?.[key] ?? (typeof schema.additionalProperties === "object" ? schema.additionalProperties : undefined);
      if (sub) problems.push(...celViolations(sub, child, `${path}/${key}`));
    }
  } else if (Array.isArray(value) && schema.items) {
    const items = schema.items;
    value.forEach((child, i) => problems.push(...celViolations(items, child, `${path}/${i}`)));
  }
  return problems;
}

const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
const compiled = new WeakMap<StructuralSchema, ReturnType<typeof ajv.compile>>();

/** Compiles (once) the validator of a schema; a full kagent Agent CRD takes seconds. */
export function compileSchema(schema: StructuralSchema): ReturnType<typeof ajv.compile> {
  let check = compiled.get(schema);
  if (!check) {
    check = ajv.compile(toJsonSchema(schema));
    compiled.set(schema, check);
  }
  return check;
}

/** All problems the API server would report for `value` (empty when valid). */
export function validateAgainst(schema: StructuralSchema, value: unknown): string[] {
  const check = compileSchema(schema);
  const problems: string[] = [];
  if (!check(value)) {
    for (const e of check.errors ?? []) {
      const extra = e.keyword === "additionalProperties" ? ` "${String(e.params.additionalProperty)}"` : "";
      problems.push(`${e.instancePath || "/"}: ${e.message ?? e.keyword}${extra}`);
    }
  }
  return [...problems, ...celViolations(schema, value)];
}
