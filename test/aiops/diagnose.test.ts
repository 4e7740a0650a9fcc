/**
 * `npm run diagnose`: its parsing and hints on recorded `kubectl get -o json` fixtures of each
 * known failure (test/fixtures/diagnose/), and the script end to end with a stand-in kubectl that
 * replays a fixture (no cluster here).
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type FailureId, type Snapshot, findProblems, formatReport, parseKubectlJson } from "../../tools/diagnose/analyze";
import { diagnoseNodeArgs, repoRoot } from "./support/diagnose-command";

const fixtures = join(repoRoot, "test", "fixtures", "diagnose");

function snapshot(name: string): Snapshot {
  const logs = join(fixtures, `${name}.logs.json`);
  return {
    namespace: "todo-chatbot",
    objects: parseKubectlJson(readFileSync(join(fixtures, `${name}.json`), "utf8")),
    logs: existsSync(logs) ? (JSON.parse(readFileSync(logs, "utf8")) as Record<string, string>) : {},
  };
}

const ids = (name: string): FailureId[] => [...new Set(findProblems(snapshot(name)).map((f) => f.id))].sort();

describe("diagnosis of recorded cluster states", () => {
  it("finds nothing wrong in a healthy namespace and says so", () => {
    expect(findProblems(snapshot("healthy"))).toEqual([]);
    const report = formatReport(snapshot("healthy"));
    expect(report).toContain("No known problem found");
    expect(report).toMatch(/todo-chatbot-backend-7c9d5b8f6d-4xk2p\s+backend\s+Running\s+1\/1\s+0\s+Running/);
    expect(report).toContain('{"level":"info","msg":"listening","port":8000}');
  });

  it("ErrImageNeverPull: names the image and says to rebuild into Minikube's daemon", () => {
    expect(ids("err-image-never-pull")).toEqual(["ErrImageNeverPull"]);
    const [finding] = findProblems(snapshot("err-image-never-pull"));
    expect(finding?.object).toContain("todo-chatbot-backend-7c9d5b8f6d-4xk2p");
    expect(finding?.object).toContain("todo-chatbot-backend-7c9d5b8f6d-9wq7m"); // both replicas, one finding
    expect(finding?.problem).toContain("todo-chatbot-backend:3f9a1c2e7b41");
    expect(finding?.hint).toMatch(/pulumi up/);
    expect(finding?.hint).toMatch(/minikube -p <profile> image ls/);
  });

  it("CrashLoopBackOff on a missing secret value: quotes the log line and names the variable", () => {
    expect(ids("crashloop-missing-secret")).toEqual(["MissingSecret"]);
    const [finding] = findProblems(snapshot("crashloop-missing-secret"));
    expect(finding?.problem).toMatch(/CrashLoopBackOff.*BETTER_AUTH_SECRET/);
    expect(finding?.evidence).toContain("last run: Error, exit code 1");
    expect(finding?.evidence.join("\n")).toContain("BETTER_AUTH_SECRET is required when NODE_ENV=production");
    expect(finding?.hint).toMatch(/kubectl describe secret -n todo-chatbot/);
    expect(finding?.hint).not.toMatch(/jsonpath|-o yaml|base64 -d/); // never a command that prints secret values
  });

  it("a Secret that does not exist: CreateContainerConfigError names it", () => {
    expect(ids("secret-not-found")).toEqual(["MissingSecret"]);
    const problems = findProblems(snapshot("secret-not-found")).map((f) => f.problem);
    expect(problems).toContain("Secret todo-chatbot-secrets does not exist");
  });

  it("LoadBalancer pending: a warning, with minikube tunnel and the NodePort alternative", () => {
    const findings = findProblems(snapshot("loadbalancer-pending"));
    expect(findings.map((f) => [f.id, f.severity])).toEqual([["LoadBalancerPending", "warning"]]);
    expect(findings[0]?.evidence.join(" ")).toContain("NodePort 31080");
    expect(findings[0]?.hint).toContain("minikube tunnel");
    expect(findings[0]?.hint).toContain("minikube service todo-chatbot-frontend -n todo-chatbot --url");
    expect(formatReport(snapshot("loadbalancer-pending"))).toMatch(/todo-chatbot-frontend\s+LoadBalancer\s+<pending>\s+80:31080/);
  });

  it("Postgres not ready: the unbound claim, the backend that cannot connect and the 503 readiness", () => {
    expect(ids("postgres-not-ready")).toEqual(["PostgresNotReady"]);
    const findings = findProblems(snapshot("postgres-not-ready"));
    const text = findings.map((f) => [f.object, f.problem, ...f.evidence, f.hint].join("\n")).join("\n");
    expect(text).toContain("pvc/data-todo-chatbot-postgresql-0: Pending — no persistent volumes available");
    expect(text).toContain("minikube addons enable default-storageclass");
    expect(text).toContain("start-up failed: getaddrinfo ENOTFOUND todo-chatbot-postgresql");
    expect(text).toContain("Readiness probe failed: HTTP probe failed with statuscode: 503");
    expect(findings.map((f) => f.object.split(" ")[0])).toEqual(
      expect.arrayContaining(["pod/todo-chatbot-postgresql-0", "pod/todo-chatbot-backend-7c9d5b8f6d-9wq7m", "pod/todo-chatbot-backend-7c9d5b8f6d-4xk2p"]),
    );
  });

  it("says when the namespace holds no todo-chatbot Pods", () => {
    expect(findProblems({ namespace: "default", objects: [], logs: {} }).map((f) => f.id)).toEqual(["NoPods"]);
  });

  it("reports kubectl output that is not JSON instead of crashing on it", () => {
    expect(() => parseKubectlJson("error: the server doesn't have a resource type \"pods\"")).toThrow(/kubectl did not return JSON/);
  });
});

describe("npm run diagnose end to end (stand-in kubectl replaying a fixture)", () => {
  const bin = mkdtempSync(join(tmpdir(), "diagnose-kubectl-"));
  afterAll(() => rmSync(bin, { recursive: true, force: true }));
  const calls = join(bin, "calls.log");
  writeFileSync(
    join(bin, "kubectl"),
    `#!${process.execPath}
const fs = require("node:fs");
const args = process.argv.slice(2);
fs.appendFileSync(${JSON.stringify(calls)}, args.join(" ") + "\\n");
const fixture = process.env.DIAGNOSE_FIXTURE;
if (args[0] === "get") { process.stdout.write(fs.readFileSync(fixture + ".json", "utf8")); process.exit(0); }
if (args[0] === "logs") {
  const logs = fs.existsSync(fixture + ".logs.json") ? JSON.parse(fs.readFileSync(fixture + ".logs.json", "utf8")) : {};
  const key = args[1] + "/" + args[args.indexOf("-c") + 1] + (args.includes("--previous") ? " (previous)" : "");
  if (key in logs) { process.stdout.write(logs[key]); process.exit(0); }
  process.stderr.write("Error from server (BadRequest): previous terminated container not found\\n"); process.exit(1);
}
process.stderr.write("unexpected kubectl call\\n"); process.exit(3);
`,
  );
  chmodSync(join(bin, "kubectl"), 0o755);

  function run(fixture: string, args: string[] = [], path = `${bin}:${dirname(process.execPath)}`) {
    writeFileSync(calls, "");
    const result = spawnSync(
      process.execPath,
      [...diagnoseNodeArgs(), ...args],
      { encoding: "utf8", env: { PATH: path, DIAGNOSE_FIXTURE: join(fixtures, fixture), HOME: bin } },
    );
    return { ...result, calls: readFileSync(calls, "utf8").trim().split("\n").filter(Boolean) };
  }

  it("finds the namespace by label, reads current and previous logs, prints the hint and exits 1", () => {
    const r = run("crashloop-missing-secret");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('todo-chatbot diagnosis: namespace "todo-chatbot"');
    expect(r.stdout).toContain("[MissingSecret]");
    expect(r.calls[0]).toBe("get pods,deployments,statefulsets --all-namespaces -l app.kubernetes.io/name=todo-chatbot -o json");
    expect(r.calls[1]).toBe("get pods,services,deployments,statefulsets,persistentvolumeclaims,events -n todo-chatbot -o json");
    expect(r.calls).toContain("logs todo-chatbot-backend-7c9d5b8f6d-4xk2p -c backend -n todo-chatbot --tail=20 --previous");
  });

  it("exits 0 on a healthy namespace, honours --namespace and --tail", () => {
    const r = run("healthy", ["--namespace", "todo-chatbot", "--tail", "5"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("No known problem found");
    expect(r.calls[0]).toMatch(/^get pods,services,.* -n todo-chatbot -o json$/);
    expect(r.calls).toContain("logs todo-chatbot-frontend-5f7b9c6d48-h2n8d -c frontend -n todo-chatbot --tail=5");
  });

  it("prints machine-readable findings with --json", () => {
    const r = run("err-image-never-pull", ["--json"]);
    const parsed = JSON.parse(r.stdout) as { namespace: string; findings: { id: string }[] };
    expect(parsed.findings.map((f) => f.id)).toEqual(["ErrImageNeverPull"]);
  });

  it("says clearly when kubectl is missing", () => {
    const r = run("healthy", [], dirname(process.execPath));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/kubectl is not on PATH/);
  });

  it("rejects a bad --tail with the usage line", () => {
    const r = run("healthy", ["--tail", "zero"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--tail must be a positive whole number[\s\S]*usage: npm run diagnose/);
  });
});
