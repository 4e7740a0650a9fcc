import { describe, expect, it } from "vitest";
import { lintChart, valueSets } from "../support/chart/index.js";
import { helmGate } from "./gate.js";

describe.skipIf(!helmGate.ok)("helm lint --strict", () => {
  it.each(valueSets)("passes with the %s value set", async (valueSet) => {
    const run = await lintChart({ valueSet });
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toContain("0 chart(s) failed");
    expect(run.stdout).not.toMatch(/\[(WARNING|ERROR)\]/);
  });
});
