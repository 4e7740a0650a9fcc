import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { chartDir } from "../support/chart/index.js";

describe("chart conventions (Helm best practices)", () => {
  it("Chart.yaml is apiVersion v2, named todo-chatbot, with a semver version and an appVersion", () => {
    const chart = parse(readFileSync(join(chartDir, "Chart.yaml"), "utf8")) as Record<string, unknown>;
    expect(chart).toMatchObject({ apiVersion: "v2", name: "todo-chatbot", type: "application" });
    expect(chart.version).toMatch(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
    expect(typeof chart.appVersion).toBe("string");
  });

  it("every helper is namespaced todo-chatbot.* and documented by a comment that starts with its name", () => {
    const helpers = readFileSync(join(chartDir, "templates", "_helpers.tpl"), "utf8");
    const defines = [...helpers.matchAll(/(?:\{\{\/\*\n([\s\S]*?)\*\/\}\}\n)?\{\{- define "([^"]+)" -\}\}/g)];
    expect(defines.length).toBeGreaterThan(10);
    const problems = defines.flatMap(([, doc, name]) => {
      const found: string[] = [];
      if (!name?.startsWith("todo-chatbot.")) found.push(`${name ?? "?"} is not namespaced`);
      if (!doc?.trimStart().startsWith(`${name ?? ""} -- `)) found.push(`${name ?? "?"} has no doc comment starting with its name`);
      return found;
    });
    expect(problems).toEqual([]);
  });
});
