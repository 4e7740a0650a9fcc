/**
 * The stack under the real Pulumi engine (@todo/pulumi-engine): config schema and secret
 * encryption, preview, up with both images really built through a Docker Engine API (podman's, classic
 * builder), the Kubernetes provider rendering YAML to a directory (no cluster), export without plaintext
 * secrets, destroy. Runs from a temp copy of the repository with a temp file backend; nothing is applied
 * to a live Kubernetes API server: that, with the unchanged second up and a one-app change, is the live
 * suite's (test/live).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import {
  buildHint,
  changedTypes,
  createWorkspace,
  describeVersions,
  enginePath,
  engineVersions,
  parsePreview,
  type Preview,
  type Workspace,
} from "@todo/pulumi-engine";
import { suiteGate, takeTurnsOnHost } from "@todo/testkit";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseObjects, restrictedProblems, schemaProblems, type KubeObject } from "../support/chart/index.js";

const repoRoot = resolve(__dirname, "..", "..");

/** Stack config keys (namespace todo-chatbot:) the suite relies on, besides the secrets. */
const RENDER_KEY = "renderYamlToDirectory";
const NODE_IMAGE_KEY = "nodeImage";
const OPENAI_KEY = "fake-engine-suite-0123456789abcdefghijklmnopqrstuv";
const IMAGE = "docker:index/image:Image";

function containerEngine(): { dockerHost: string; baseImage: string } | string {
  const tool = process.env["CONTAINER_ENGINE_TOOL"] ?? join(repoRoot, "..", "shared", "tools", "container-engine");
  if (!existsSync(tool)) return `${tool} is missing (it serves podman's Docker Engine API)`;
  const base = spawnSync(tool, [], { encoding: "utf8", timeout: 600_000 });
  const api = spawnSync(tool, ["--docker-api"], { encoding: "utf8", timeout: 120_000 });
  if (base.status !== 0 || api.status !== 0) return `${tool} failed: ${base.stderr}${api.stderr}`;
  return { baseImage: base.stdout.trim().split("\n").at(-1) ?? "", dockerHost: api.stdout.trim().split("\n").at(-1) ?? "" };
}

const pathEntries = enginePath();
const gate = suiteGate("engine (pulumi from Go)", pathEntries ? undefined : buildHint);
const engine = gate.ok ? containerEngine() : "not needed";
const engineGate = gate.ok
  ? suiteGate("engine (pulumi from Go)", typeof engine === "string" ? `no container engine: ${engine}` : undefined)
  : gate;
const declaredKeys = Object.keys(
  ((parse(readFileSync(join(repoRoot, "Pulumi.yaml"), "utf8")) as { config?: Record<string, unknown> }).config ?? {}),
);

function imageIds(tags: readonly string[]): string[] {
  return tags.map((tag) => execFileSync("podman", ["image", "inspect", "--format", "{{.Id}}", tag], { encoding: "utf8" }).trim());
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((file) => join(dir, file))
    .filter((file) => statSync(file).isFile() && /\.ya?ml$/.test(file));
}

describe.skipIf(!engineGate.ok)("the stack under the real Pulumi engine", () => {
  takeTurnsOnHost(); // one suite at a time changes the host (packages/testkit/src/machine-lock.ts)
  let ws: Workspace;
  let renderDir: string;
  let outputs: Record<string, string>;

  const preview = async (): Promise<Preview> => parsePreview(await ws.pulumiOk(["preview", "--json", "--diff"]));
  const up = (): Promise<string> => ws.pulumiOk(["up", "--yes", "--skip-preview"]);
  const stackOutputs = async (): Promise<Record<string, string>> =>
    JSON.parse(await ws.pulumiOk(["stack", "output", "--json"])) as Record<string, string>;

  beforeAll(async () => {
    if (typeof engine === "string" || !pathEntries) throw new Error("unreachable: gated above");
    const missing = [RENDER_KEY, NODE_IMAGE_KEY].filter((key) => !declaredKeys.includes(key));
    if (missing.length > 0) {
      throw new Error(
        `Pulumi.yaml declares no ${missing.join(", ")}: the engine suite needs the stack to render Kubernetes YAML to a ` +
          "directory instead of reaching a cluster, and to build from the local Node base image (NODE_IMAGE build arg)",
      );
    }
    ws = createWorkspace({ projectDir: repoRoot, pathEntries });
    // which provider code runs, in the suite's output (the Kubernetes binary may be older than the SDK)
    console.log(describeVersions(engineVersions(repoRoot)));
    renderDir = join(ws.dir, "..", "rendered");
    await ws.pulumiOk(["stack", "init", ws.stack]);
    const settings: Record<string, string> = {
      dockerHost: engine.dockerHost,
      builder: "classic",
      nodeAddress: "127.0.0.1",
      frontendServiceType: "NodePort",
      [RENDER_KEY]: renderDir,
      [NODE_IMAGE_KEY]: engine.baseImage,
    };
    for (const [key, value] of Object.entries(settings)) await ws.pulumiOk(["config", "set", key, value]);
  }, 120_000);

  afterAll(() => ws?.destroy());

  it("is the CLI of @pulumi/pulumi's version, with each provider in the plugin cache at the version its npm package asks for", async () => {
    const npmVersion = (name: string): string =>
      (JSON.parse(readFileSync(join(repoRoot, "node_modules", name, "package.json"), "utf8")) as { version: string }).version;
    expect((await ws.pulumiOk(["version"])).trim()).toBe(`v${npmVersion("@pulumi/pulumi")}`);
    const plugins = JSON.parse(await ws.pulumiOk(["plugin", "ls", "--json"])) as { name: string; kind: string; version: string }[];
    const listed = Object.fromEntries(plugins.filter((p) => p.kind === "resource").map((p) => [p.name, p.version]));
    expect(engineVersions(repoRoot).kubernetesRequested).toBe(npmVersion("@pulumi/kubernetes"));
    expect(listed).toEqual({
      kubernetes: npmVersion("@pulumi/kubernetes"),
      random: npmVersion("@pulumi/random"),
      docker: npmVersion("@pulumi/docker"),
    });
  }, 120_000);

  it("pulumi config set --secret keeps only ciphertext in the stack file", async () => {
    await ws.pulumiOk(["config", "set", "--secret", "openaiApiKey", OPENAI_KEY]);
    const stackFile = readFileSync(join(ws.dir, `Pulumi.${ws.stack}.yaml`), "utf8");
    expect(stackFile).not.toContain(OPENAI_KEY);
    const config = (parse(stackFile) as { config: Record<string, unknown> }).config;
    expect(config["todo-chatbot:openaiApiKey"]).toEqual({ secure: expect.stringMatching(/^v1:/) as unknown });
    expect((await ws.pulumiOk(["config", "get", "openaiApiKey"])).trim()).toBe(OPENAI_KEY);
  }, 120_000);

  it("rejects a config value of the wrong type, naming the key", async () => {
    await ws.pulumiOk(["config", "set", "replicas", "many"]);
    const run = await ws.pulumi(["preview"]);
    await ws.pulumiOk(["config", "rm", "replicas"]);
    expect(run.code).not.toBe(0);
    expect(run.stdout + run.stderr).toMatch(/replicas/);
  }, 300_000);

  it("preview plans both images and the chart's objects without building anything", async () => {
    const plan = await preview();
    const created = changedTypes(plan, "create");
    expect(created.filter((t) => t === IMAGE)).toHaveLength(2);
    expect(created).toContain("kubernetes:apps/v1:Deployment");
    expect(created).toContain("kubernetes:core/v1:Secret");
    expect(existsSync(renderDir)).toBe(false);
  }, 600_000);

  it("up builds both images through the Docker API and renders valid, restricted YAML", async () => {
    await up();
    outputs = await stackOutputs();
    const images = [outputs["backendImage"] ?? "", outputs["frontendImage"] ?? ""];
    expect(images.every((ref) => /^todo-chatbot-(backend|frontend):[0-9a-f]+$/.test(ref))).toBe(true);
    expect(imageIds(images)).toHaveLength(2);

    const objects: KubeObject[] = yamlFiles(renderDir).flatMap((file) => parseObjects(readFileSync(file, "utf8")));
    const kinds = objects.map((o) => o.kind);
    expect(kinds).toEqual(expect.arrayContaining(["Namespace", "Secret", "Deployment", "Service"]));
    const problems = (await Promise.all(objects.map(schemaProblems))).flat();
    expect(problems).toEqual([]);
    const deployments = objects.filter((o) => o.kind === "Deployment");
    for (const deployment of deployments) {
      const spec = (deployment as { spec?: { template?: { spec?: unknown } } }).spec?.template?.spec;
      expect(restrictedProblems(spec as Parameters<typeof restrictedProblems>[0])).toEqual([]);
    }
    const rendered = deployments.map((d) => JSON.stringify(d)).join("\n");
    expect(rendered).toContain(outputs["backendImage"]);
    expect(rendered).toContain(outputs["frontendImage"]);
    // Render mode writes Secret data as plain base64 (the provider warns); the key must be in the Secret only.
    const encodedKey = Buffer.from(OPENAI_KEY).toString("base64");
    const holders = objects.filter((o) => JSON.stringify(o).includes(encodedKey) || JSON.stringify(o).includes(OPENAI_KEY));
    expect(holders.map((o) => o.kind)).toEqual(["Secret"]);
  }, 3_600_000);

  // An unchanged second `up` and a one-app change are the live suite's (test/live): there the images go
  // into the cluster's own daemon and the Pods' UIDs and a request loop show what really rolled.

  it("pulumi stack export holds no plaintext secret", async () => {
    const encodedKey = Buffer.from(OPENAI_KEY).toString("base64"); // as the Secret's data holds it
    const exported = await ws.pulumiOk(["stack", "export"]);
    expect(exported).not.toContain(OPENAI_KEY);
    expect(exported).not.toContain(encodedKey);
    expect(exported).toContain("ciphertext");
    // the state does hold the key, encrypted: revealed, it is there
    const revealed = await ws.pulumiOk(["stack", "export", "--show-secrets"]);
    expect(revealed.includes(OPENAI_KEY) || revealed.includes(encodedKey)).toBe(true);
  }, 120_000);

  it("pulumi destroy leaves the stack empty", async () => {
    await ws.pulumiOk(["destroy", "--yes", "--skip-preview"]);
    const state = JSON.parse(await ws.pulumiOk(["stack", "export"])) as { deployment: { resources?: unknown[] } };
    expect(state.deployment.resources ?? []).toEqual([]);
  }, 600_000);
});
