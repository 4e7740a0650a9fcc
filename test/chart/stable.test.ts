import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { chartDir, helmTemplate, valueSets } from "../support/chart/index.js";
import { helmGate } from "./gate.js";

function templateFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? templateFiles(join(dir, entry.name)) : [join(dir, entry.name)]);
}

describe.skipIf(!helmGate.ok)("deterministic output", () => {
  it.each(valueSets)("%s renders byte-for-byte the same twice", async (valueSet) => {
    const first = await helmTemplate({ valueSet });
    const second = await helmTemplate({ valueSet });
    expect(first.code).toBe(0);
    expect(second.stdout).toBe(first.stdout);
  });

  it("templates use no random, time or cluster-dependent functions", () => {
    const forbidden = /\b(rand[A-Za-z]*|uuidv4|now|date|dateInZone|unixEpoch|lookup|genCA|genPrivateKey|genSelfSignedCert|genSignedCert|htpasswd|derivePassword)\b/;
    const offenders = templateFiles(join(chartDir, "templates")).flatMap((file) =>
      readFileSync(file, "utf8").split("\n").flatMap((line, index) => {
        // the template actions on the line, without their string literals (messages may say "openssl rand")
        const action = (line.match(/\{\{.*?\}\}/g)?.join(" ") ?? "").replace(/"(?:[^"\\]|\\.)*"/g, '""');
        return forbidden.test(action) ? [`${file}:${index + 1}: ${line.trim()}`] : [];
      }));
    expect(offenders).toEqual([]);
  });

  it("every template file renders at most one resource", () => {
    const multi = templateFiles(join(chartDir, "templates"))
      .filter((file) => file.endsWith(".yaml"))
      .filter((file) => (readFileSync(file, "utf8").match(/^kind:/gm) ?? []).length > 1);
    expect(multi).toEqual([]);
  });
});
