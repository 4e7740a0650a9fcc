/** The aiops* stack-config keys: one declaration (stack/aiops/settings.ts) for Pulumi.yaml, the program and the docs. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { AIOPS_CONFIG, planAiops, readAiopsConfig } from "../../stack/aiops/settings";

const root = join(__dirname, "..", "..");
const declared = (parse(readFileSync(join(root, "Pulumi.yaml"), "utf8")) as { config?: Record<string, { type: string; default: unknown }> }).config ?? {};
const aiopsKeys = Object.keys(declared).filter((k) => k.startsWith("aiops"));

describe("aiops config keys", () => {
  it("are all read by the program, and the declared defaults plan a read-only OpenAI agent on kagent 0.9.12", () => {
    pulumi.runtime.setMocks({ newResource: (a) => ({ id: a.name, state: a.inputs }), call: () => ({}) }, "todo-chatbot", "dev", false);
    const values: Record<string, string> = {};
    for (const [key, decl] of Object.entries(AIOPS_CONFIG)) values[`todo-chatbot:${key}`] = String(decl.default);
    values["todo-chatbot:aiops"] = "true";
    pulumi.runtime.setAllConfig(values, []);
    const raw = readAiopsConfig(new pulumi.Config("todo-chatbot"), true);
    for (const key of Object.keys(AIOPS_CONFIG)) expect(Object.keys(raw), key).toContain(key);
    expect(planAiops(raw)).toEqual({
      provider: "openai",
      model: "gpt-4.1-mini",
      baseUrl: "",
      enableWriteTools: false,
      enableSampleAgents: false,
      kagentVersion: "0.9.12",
    });
  });

  it("appear in docs/aiops.md's table with their defaults", () => {
    const doc = readFileSync(join(root, "docs", "aiops.md"), "utf8");
    for (const [key, decl] of Object.entries(AIOPS_CONFIG)) {
      const def = decl.default === "" ? '""' : String(decl.default);
      expect(doc, key).toContain(`| \`${key}\` | \`${def}\` |`);
    }
  });

  it.skipIf(aiopsKeys.length === 0)("match Pulumi.yaml once it declares them (type and default)", () => {
    expect(aiopsKeys.sort()).toEqual(Object.keys(AIOPS_CONFIG).sort());
    for (const [key, decl] of Object.entries(AIOPS_CONFIG)) {
      expect(declared[key], key).toMatchObject({ type: decl.type, default: decl.default });
    }
  });
});
