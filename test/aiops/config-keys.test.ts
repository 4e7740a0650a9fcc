/** The aiops* stack-config keys: declared once in the table (stack/config/keys.ts), generated into Pulumi.yaml and docs/aiops.md. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { AIOPS_END, AIOPS_START, renderAiopsTable } from "../../scripts/config-table";
import { CONFIG_KEY_NAMES } from "../../stack/config/keys";
import { loadStackConfig } from "../../stack/config/stack-config";

const root = join(__dirname, "..", "..");
const declared = (parse(readFileSync(join(root, "Pulumi.yaml"), "utf8")) as { config: Record<string, { type: string; default: unknown }> }).config;
const AIOPS_KEYS = ["aiops", "aiopsWriteTools", "aiopsSampleAgents", "aiopsProvider", "aiopsModel", "aiopsOpenaiBaseUrl", "aiopsOllamaHost", "aiopsKagentVersion"];

describe("aiops config keys", () => {
  it("are in the table and in Pulumi.yaml, the same eight", () => {
    expect(CONFIG_KEY_NAMES.filter((key) => key.startsWith("aiops"))).toEqual(AIOPS_KEYS);
    expect(Object.keys(declared).filter((key) => key.startsWith("aiops"))).toEqual(AIOPS_KEYS);
  });

  it("with Pulumi.yaml's declared defaults and aiops=true, plan a read-only OpenAI agent on kagent 0.9.12", () => {
    pulumi.runtime.setMocks({ newResource: (a) => ({ id: a.name, state: a.inputs }), call: () => ({}) }, "todo-chatbot", "dev", false);
    const values: Record<string, string> = { "todo-chatbot:openaiApiKey": "fake-test-key-0123456789" };
    for (const key of AIOPS_KEYS) values[`todo-chatbot:${key}`] = String(declared[key]?.default);
    values["todo-chatbot:aiops"] = "true";
    pulumi.runtime.setAllConfig(values, ["todo-chatbot:openaiApiKey"]);
    expect(loadStackConfig().settings.aiops).toEqual({
      provider: "openai",
      model: "gpt-4.1-mini",
      baseUrl: "",
      enableWriteTools: false,
      enableSampleAgents: false,
      kagentVersion: "0.9.12",
    });
  });

  it("are documented in docs/aiops.md by the table `npm run docs:config` renders, one row each with its default", () => {
    const doc = readFileSync(join(root, "docs", "aiops.md"), "utf8");
    const start = doc.indexOf(AIOPS_START);
    const end = doc.indexOf(AIOPS_END);
    expect(start, "docs/aiops.md must hold the aiops-config-table markers").toBeGreaterThanOrEqual(0);
    const documented = doc.slice(start + AIOPS_START.length, end).trim();
    expect(documented, "docs/aiops.md's table is stale: run npm run docs:config").toBe(renderAiopsTable());
    const rows = documented.split("\n").slice(2);
    expect(rows.map((row) => /^\| `(\w+)` \|/.exec(row)?.[1])).toEqual(AIOPS_KEYS);
    expect(rows[0]).toContain("| `aiops` | `false` |");
    expect(rows[7]).toContain("| `aiopsKagentVersion` | `0.9.12` |");
  });
});
