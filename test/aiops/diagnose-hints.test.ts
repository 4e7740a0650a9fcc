/**
 * The `npm run diagnose` hints that follow how Minikube and the stack really behave (issue 17): each
 * says what works, not what changes nothing.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type Snapshot, findProblems, parseKubectlJson } from "../../tools/diagnose/analyze";
import { repoRoot } from "./support/diagnose-command";

function snapshot(name: string): Snapshot {
  const dir = join(repoRoot, "test", "fixtures", "diagnose");
  const logs = join(dir, `${name}.logs.json`);
  return {
    namespace: "todo-chatbot",
    objects: parseKubectlJson(readFileSync(join(dir, `${name}.json`), "utf8")),
    logs: existsSync(logs) ? (JSON.parse(readFileSync(logs, "utf8")) as Record<string, string>) : {},
  };
}

describe("diagnose hints (issue 17)", () => {
  it("ErrImageNeverPull: a pruned image needs `pulumi up --replace`; a recreated Minikube is rebuilt by `npm run up`", () => {
    const [finding] = findProblems(snapshot("err-image-never-pull"));
    expect(finding?.id).toBe("ErrImageNeverPull");
    expect(finding?.hint).toContain("pulumi up --replace <URN>");
    expect(finding?.hint).toContain("pulumi stack --show-urns | grep docker:index/image:Image");
    expect(finding?.hint).toMatch(/minikube delete \+ start.*`npm run up` rebuilds/);
    expect(finding?.hint).not.toMatch(/Run `pulumi up` again/);
  });
});
