/**
 * docs/aiops.md only uses commands and flags that were verified in the tools' sources (cited in the
 * file's HTML comments), and its kagent facts match the component.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { diagnoseEntry } from "./support/diagnose-command";
import { dashboardCommand, invokeCommand } from "../../stack/aiops/aiops";
import { KAGENT_VERSION } from "../../stack/aiops/constants";
import { READ_ONLY_TOOLS, WRITE_TOOLS } from "../../stack/aiops/tools";

const doc = readFileSync(join(__dirname, "..", "..", "docs", "aiops.md"), "utf8");

/** Every command-like snippet: fenced code lines and inline code spans. */
function snippets(): string[] {
  const fenced = [...doc.matchAll(/```[a-z]*\n([\s\S]*?)```/g)].flatMap((m) => (m[1] ?? "").split("\n"));
  const inline = [...doc.matchAll(/`([^`\n]+)`/g)].map((m) => m[1] ?? "");
  return [...fenced, ...inline].map((s) => s.trim()).filter(Boolean);
}

function flagsOf(prefix: RegExp): Set<string> {
  const flags = new Set<string>();
  for (const line of snippets().filter((s) => prefix.test(s))) {
    // Drop quoted prompts (they may contain dashes), but keep `AI="kubectl-ai --flags"` assignments.
    const code = line.startsWith("AI=") ? line : line.replace(/"[^"]*"/g, "");
    for (const m of code.matchAll(/(?:^|\s)(--?[a-zA-Z][\w-]*)/g)) flags.add(m[1] ?? "");
  }
  return flags;
}

// kagent-dev/kagent v0.9.12 go/core/cli/cmd/kagent/main.go (invoke flags + persistent flags).
const KAGENT_FLAGS = ["--agent", "-a", "--task", "-t", "--session", "-s", "--stream", "-S", "--file", "-f", "--token", "--namespace", "-n", "--kagent-url", "--output-format", "-o", "--verbose", "-v", "--timeout"];
// GoogleCloudPlatform/kubectl-ai cmd/main.go.
const KUBECTL_AI_FLAGS = ["--llm-provider", "--model", "--quiet", "--skip-permissions", "--enable-tool-use-shim", "--kubeconfig", "--max-iterations"];
// docs.docker.com/ai/gordon/how-to/cli.md
const DOCKER_AI_FLAGS = ["-C", "--working-dir"];

describe("docs/aiops.md", () => {
  it("uses only verified kagent CLI flags", () => {
    const used = flagsOf(/^kagent (invoke|get|version|dashboard)/);
    expect(used.size).toBeGreaterThan(3);
    expect([...used].filter((f) => !KAGENT_FLAGS.includes(f))).toEqual([]);
  });

  it("uses only verified kubectl-ai flags, and --skip-permissions only for a write action", () => {
    const used = flagsOf(/^(kubectl-ai|\$AI|AI=)/);
    expect(used).toContain("--llm-provider");
    expect(used).toContain("--quiet");
    expect([...used].filter((f) => !KUBECTL_AI_FLAGS.includes(f))).toEqual([]);
    const skipping = snippets().filter((s) => s.includes("--skip-permissions") && /^(kubectl-ai|\$AI)/.test(s));
    expect(skipping.length).toBeGreaterThan(0);
    for (const line of skipping) expect(line).toMatch(/Restart|restart|Scale|scale|Delete|delete|Patch|patch/);
  });

  it("uses only verified docker ai flags", () => {
    const used = flagsOf(/^docker ai/);
    expect([...used].filter((f) => !DOCKER_AI_FLAGS.includes(f) && !f.startsWith("--build-arg"))).toEqual([]);
    expect(snippets().filter((s) => s.startsWith("docker ai ")).length).toBeGreaterThanOrEqual(4);
  });

  it("cites a source in an HTML comment for each tool's section", () => {
    const comments = [...doc.matchAll(/<!--([\s\S]*?)-->/g)].map((m) => m[1] ?? "");
    for (const source of ["github.com/kagent-dev/kagent", "GoogleCloudPlatform/kubectl-ai", "docs.docker.com/ai/gordon"]) {
      expect(comments.some((c) => c.includes(source))).toBe(true);
    }
  });

  it("states what the component does: version, invoke and dashboard commands, tool names", () => {
    expect(doc).toContain(`kagent **${KAGENT_VERSION}**`);
    expect(doc).toContain(invokeCommand("todo-chatbot-ops", "kagent"));
    expect(doc).toContain(dashboardCommand("kagent").split("  #")[0]);
    for (const tool of [...READ_ONLY_TOOLS, ...WRITE_TOOLS]) expect(doc).toContain(tool);
  });

  it("documents the diagnose options the script accepts", () => {
    const script = readFileSync(diagnoseEntry(), "utf8");
    for (const flag of flagsOf(/^npm run diagnose/)) {
      if (flag === "--") continue;
      expect(script).toContain(`${flag.replace(/^--/, "")}: {`);
    }
  });
});
