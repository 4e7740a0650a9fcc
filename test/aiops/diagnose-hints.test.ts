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

describe("docs/aiops.md says what a user of Ollama and the kagent CLI would trip over (issue 17)", () => {
  const doc = readFileSync(join(repoRoot, "docs", "aiops.md"), "utf8");

  it("Ollama must listen beyond 127.0.0.1 for the Pods to reach it", () => {
    expect(doc).toContain("OLLAMA_HOST=0.0.0.0 ollama serve");
    expect(doc).toMatch(/Ollama listens on `127\.0\.0\.1:11434` by default/);
  });

  it("kagent invoke needs kubectl and uses its current context, not the stack's", () => {
    expect(doc).toMatch(/needs\s+`kubectl` on PATH/);
    expect(doc).toContain('kubectl config use-context "$(pulumi stack output kubeContext)"');
  });
});
