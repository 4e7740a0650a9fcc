import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { chartDir } from "../support/chart/index.js";

interface SchemaNode {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  items?: SchemaNode;
  anyOf?: SchemaNode[];
  $defs?: Record<string, SchemaNode>;
}

const valuesText = readFileSync(join(chartDir, "values.yaml"), "utf8");
const schema = JSON.parse(readFileSync(join(chartDir, "values.schema.json"), "utf8")) as SchemaNode;

/** Every key of values.yaml as a dotted path, with the comment lines right above it. */
function keysWithComments(text: string): { path: string; comments: string[] }[] {
  const keys: { path: string; comments: string[] }[] = [];
  const stack: { indent: number; key: string }[] = [];
  let comments: string[] = [];
  for (const line of text.split("\n")) {
    const comment = line.match(/^\s*#\s?(.*)$/);
    if (comment) {
      comments.push(comment[1] ?? "");
      continue;
    }
    const key = line.match(/^(\s*)([A-Za-z][\w-]*):/);
    if (key) {
      const indent = key[1]?.length ?? 0;
      while (stack.length > 0 && (stack.at(-1)?.indent ?? 0) >= indent) stack.pop();
      stack.push({ indent, key: key[2] ?? "" });
      keys.push({ path: stack.map((entry) => entry.key).join("."), comments });
    }
    comments = [];
  }
  return keys;
}

function resolve(node: SchemaNode): SchemaNode {
  if (!node.$ref) return node;
  const name = node.$ref.replace("#/$defs/", "");
  const target = schema.$defs?.[name];
  if (!target) throw new Error(`unresolved $ref ${node.$ref}`);
  return resolve(target);
}

function schemaAt(path: string): SchemaNode | undefined {
  let node: SchemaNode | undefined = resolve(schema);
  for (const part of path.split(".")) {
    const next: SchemaNode | undefined = node?.properties?.[part];
    node = next ? resolve(next) : undefined;
  }
  return node;
}

describe("values.yaml and values.schema.json", () => {
  const keys = keysWithComments(valuesText);

  it("documents every key with a comment that starts with the key's name", () => {
    expect(keys.length).toBeGreaterThan(60);
    const undocumented = keys.filter(({ path, comments }) => !comments.some((line) => line.startsWith(`${path} -- `))).map(({ path }) => path);
    expect(undocumented).toEqual([]);
  });

  it("uses lowerCamelCase keys (resource quantities keep their Kubernetes names)", () => {
    const wrong = keys.map(({ path }) => path.split(".").at(-1) ?? "").filter((key) => !/^[a-z][a-zA-Z0-9]*$/.test(key) && key !== "ephemeral-storage");
    expect(wrong).toEqual([]);
  });

  it("types every key of values.yaml in the schema", () => {
    const missing = keys.filter(({ path }) => !schemaAt(path)).map(({ path }) => path);
    expect(missing).toEqual([]);
  });

  it("closes every object in the schema: additionalProperties false, or a typed map", () => {
    const open: string[] = [];
    const visit = (node: SchemaNode, where: string): void => {
      if (node.$ref) return; // visited through $defs
      const isObject = node.type === "object" || node.properties !== undefined;
      if (isObject) {
        const extra = node.additionalProperties;
        const typedMap = typeof extra === "object" && node.properties === undefined;
        if (extra !== false && !typedMap) open.push(where || "(root)");
      }
      for (const [name, child] of Object.entries(node.properties ?? {})) visit(child, `${where}.${name}`);
      if (node.items) visit(node.items, `${where}[]`);
      for (const [index, child] of (node.anyOf ?? []).entries()) visit(child, `${where}|${index}`);
    };
    visit(schema, "");
    for (const [name, definition] of Object.entries(schema.$defs ?? {})) visit(definition, `$defs.${name}`);
    expect(open).toEqual([]);
  });

  it("the chart README's values table is values.yaml's: every leaf in order, with its default and its comment", () => {
    const readme = readFileSync(join(chartDir, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("\n## Values\n"), readme.indexOf("\n## ", readme.indexOf("\n## Values\n") + 1));
    const table = section.split("\n").filter((line) => line.startsWith("| `"));
    const documentation = new Map(keys.map(({ path, comments }) => {
      const start = comments.findIndex((line) => line.startsWith(`${path} -- `));
      return [path, comments.slice(start).join(" ").slice(`${path} -- `.length)];
    }));
    const markdown = (text: string): string => text.replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\|/g, "\\|");
    const values = parse(valuesText) as Record<string, unknown>;
    const leaves = (node: unknown, path: string): [string, unknown][] =>
      node && typeof node === "object" && !Array.isArray(node) && Object.keys(node).length > 0 && !path.endsWith(".resources")
        ? Object.entries(node).flatMap(([key, child]) => leaves(child, path ? `${path}.${key}` : key))
        : [[path, node]];
    // a failure prints the row to paste into apps/chart/README.md ("## Values")
    const expected = leaves(values, "").map(([path, value]) => `| \`${path}\` | \`${JSON.stringify(value)}\` | ${markdown(documentation.get(path) ?? "")} |`);
    expect(table).toEqual(expected);
  });

  it("the schema types no key that values.yaml lacks (no stale schema entries)", () => {
    const values = parse(valuesText) as Record<string, unknown>;
    const stale: string[] = [];
    const visit = (node: SchemaNode, value: unknown, path: string): void => {
      for (const [key, child] of Object.entries(resolve(node).properties ?? {})) {
        const where = path ? `${path}.${key}` : key;
        if (value && typeof value === "object" && key in value) visit(child, (value as Record<string, unknown>)[key], where);
        else stale.push(where);
      }
    };
    visit(schema, values, "");
    expect(stale).toEqual([]);
  });

  it("keeps the keys the Pulumi stack relies on (chart contract)", () => {
    const values = parse(valuesText) as Record<string, unknown>;
    const contract = [
      "image.pullPolicy", "backend.image.repository", "backend.image.tag", "backend.replicaCount",
      "backend.autoscaling.enabled", "backend.autoscaling.minReplicas", "backend.autoscaling.maxReplicas",
      "backend.autoscaling.targetCPUUtilizationPercentage", "frontend.image.repository", "frontend.image.tag",
      "frontend.replicaCount", "frontend.service.type", "frontend.service.port", "config.publicUrl",
      "config.openaiModel", "config.openaiBaseUrl", "config.chatRateLimitPerMinute", "config.logLevel",
      "existingSecret", "secrets.betterAuthSecret", "secrets.openaiApiKey", "secrets.databaseUrl",
      "secrets.postgresPassword", "postgresql.enabled", "postgresql.image.repository", "postgresql.image.tag",
      "postgresql.image.pullPolicy", "networkPolicy.enabled", "networkPolicy.llmEgress",
    ];
    const has = (path: string): boolean => {
      let node: unknown = values;
      for (const part of path.split(".")) {
        if (!node || typeof node !== "object" || !(part in node)) return false;
        node = (node as Record<string, unknown>)[part];
      }
      return true;
    };
    expect(contract.filter((path) => !has(path))).toEqual([]);
    expect(values).toMatchObject({ frontend: { service: { type: "LoadBalancer", port: 80 } }, postgresql: { enabled: true, image: { pullPolicy: "IfNotPresent" } } });
  });
});
