/**
 * `pulumi up` for real: the real Pulumi CLI and Kubernetes provider (@todo/pulumi-engine) deploy the
 * stack onto the local cluster (@todo/local-cluster) in Minikube mode — images built into the node's
 * Docker daemon, every object applied to the live API server, the workloads awaited — and then the
 * user's path: the app in Chromium, an unchanged `up`, a one-app change rolled out under load, the data
 * surviving, the wrong-daemon failure and its hint, `pulumi destroy`. From a temp copy of the repository
 * with a temp file backend.
 */
import { spawnSync } from "node:child_process";
import { appendFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import {
  BASE_IMAGE,
  buildPostgresImage,
  eventually,
  KubeClient,
  missingBaseImage,
  missingCluster,
  startCluster,
  type KubeObject,
  type LocalCluster,
} from "@todo/local-cluster";
import { buildHint, createWorkspace, describeVersions, enginePath, engineVersions, type Workspace } from "@todo/pulumi-engine";
import { findChromium, launchChromium, missingChromium, suiteGate, takeTurnsOnHost } from "@todo/testkit";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addTask, signInAttempt, signUp, taskTitles, type Session } from "../support/app-client.js";
import { minikubeSettings } from "../support/minikube-settings.js";

const repoRoot = resolve(__dirname, "..", "..");
const pathEntries = enginePath();
const gate = suiteGate(
  "live (pulumi up onto a local cluster)",
  missingCluster("node") ?? missingBaseImage() ?? (pathEntries ? undefined : buildHint) ?? missingChromium(),
);

const NS = "todo-chatbot";
const REPLICAS = 2;
const PASSWORD = "a-long-browser-passphrase-5521";

interface Workload extends KubeObject {
  spec: { replicas?: number };
  status?: { readyReplicas?: number; updatedReplicas?: number; replicas?: number };
}

interface Pod extends KubeObject {
  metadata: KubeObject["metadata"] & { uid: string };
  status?: { conditions?: { type: string; status: string }[] };
}

/** The podman Docker Engine API (another daemon than the node's), from ../shared/tools/container-engine. */
function podmanApi(): string {
  const tool = process.env["CONTAINER_ENGINE_TOOL"] ?? join(repoRoot, "..", "shared", "tools", "container-engine");
  const run = spawnSync(tool, ["--docker-api"], { encoding: "utf8", timeout: 120_000 });
  if (run.status !== 0) throw new Error(`${tool} --docker-api failed: ${run.stderr}`);
  return run.stdout.trim().split("\n").at(-1) ?? "";
}

describe.skipIf(!gate.ok)("pulumi up onto a live cluster (Minikube mode)", () => {
  takeTurnsOnHost(); // one suite at a time changes the host (packages/testkit/src/machine-lock.ts)
  let cluster: LocalCluster | undefined;
  let kube: KubeClient | undefined;
  let ws: Workspace | undefined;
  let postgresqlImage = "";
  let outputs: Record<string, string> = {};
  let session: (Session & { email: string }) | undefined;
  let browser: Browser | undefined;

  const live = () => {
    if (!cluster || !kube || !ws) throw new Error("the cluster or the workspace did not start (see beforeAll)");
    return { cluster, kube, ws };
  };
  const stackOutputs = async (w: Workspace): Promise<Record<string, string>> =>
    JSON.parse(await w.pulumiOk(["stack", "output", "--json"])) as Record<string, string>;
  // the Pods that serve: a replaced Pod still terminating (preStop, drain) after the rollout is not counted
  const podUids = async (component: string): Promise<string[]> =>
    (await live().kube.list<Pod>(`/api/v1/namespaces/${NS}/pods`, `app.kubernetes.io/component=${component}`))
      .filter((pod) => !pod.metadata.deletionTimestamp)
      .map((pod) => pod.metadata.uid)
      .sort();
  const imageId = (ref: string): string => {
    const run = spawnSync("docker", ["image", "inspect", "--format", "{{.Id}}", ref], { encoding: "utf8", env: live().cluster.dockerEnv() });
    if (run.status !== 0) throw new Error(`the node's daemon has no image ${ref}: ${run.stderr}`);
    return run.stdout.trim();
  };

  /** Sets the stack config the way a Minikube user's `minikube docker-env` / `minikube ip` would feed it. */
  async function configure(w: Workspace, settings: Record<string, string>): Promise<void> {
    await w.pulumiOk(["stack", "init", w.stack]);
    for (const [key, value] of Object.entries(settings)) await w.pulumiOk(["config", "set", key, value]);
  }

  beforeAll(async () => {
    if (!pathEntries) throw new Error("unreachable: gated above");
    cluster = startCluster("node", { withRegistry: true });
    kube = new KubeClient(cluster.kubeconfig);
    process.stderr.write(`[live] node ${cluster.env.NODE_IP} started in ${cluster.startSeconds.toFixed(1)} s\n`);
    await cluster.loadImages([BASE_IMAGE]);
    const pg = await buildPostgresImage(cluster, BASE_IMAGE);
    postgresqlImage = `${pg.repository}:${pg.tag}`;
    // the provider finds the context in the kubeconfig, as a Minikube user's ~/.kube/config holds "minikube"
    process.env["KUBECONFIG"] = cluster.kubeconfig;
    ws = createWorkspace({ projectDir: repoRoot, pathEntries, stack: "live" });
    console.log(describeVersions(engineVersions(repoRoot)));
    await configure(ws, { ...minikubeSettings(cluster, postgresqlImage), replicas: String(REPLICAS) });
  }, 900_000);

  afterAll(async () => {
    await browser?.close();
    if (ws) await ws.pulumi(["destroy", "--yes", "--skip-preview"]).catch(() => undefined);
    ws?.destroy();
    cluster?.stop();
  }, 600_000);

  it("1. pulumi up builds both images into the node's daemon, applies every object and waits until the workloads are Ready", async () => {
    const { kube, ws } = live();
    const started = Date.now();
    await ws.pulumiOk(["up", "--yes", "--skip-preview"], 1_800_000);
    process.stderr.write(`[live] first pulumi up: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    outputs = await stackOutputs(ws);
    for (const ref of [outputs["backendImage"] ?? "", outputs["frontendImage"] ?? ""]) expect(imageId(ref)).toMatch(/^sha256:/);

    const deployments = await kube.list<Workload>(`/apis/apps/v1/namespaces/${NS}/deployments`);
    expect(deployments.map((d) => [d.metadata.name, d.status?.readyReplicas]).sort()).toEqual([
      ["todo-chatbot-backend", REPLICAS],
      ["todo-chatbot-frontend", REPLICAS],
    ]);
    const statefulSets = await kube.list<Workload>(`/apis/apps/v1/namespaces/${NS}/statefulsets`);
    expect(statefulSets.map((s) => [s.metadata.name, s.status?.readyReplicas])).toEqual([["todo-chatbot-postgresql", 1]]);

    // the default LoadBalancer stays pending without `minikube tunnel`: the URL is the NodePort's, and says so
    expect(outputs["frontendUrlKind"]).toBe("NodePort");
    expect(outputs["frontendUrl"]).toMatch(new RegExp(`^http://${live().cluster.env.NODE_IP?.replaceAll(".", "\\.")}:\\d+$`));
    expect(outputs["reachCommand"]).toMatch(/tunnel/);
    const page = await fetch(outputs["frontendUrl"] ?? "", { signal: AbortSignal.timeout(20_000) });
    expect(page.status).toBe(200);
  }, 1_900_000);

  it("2. in Chromium through frontendUrl: sign up, add a task by chatting, sign out and in: the task is still there", async () => {
    const base = outputs["frontendUrl"] ?? "";
    const chromium = findChromium();
    if (!chromium) throw new Error("unreachable: gated above");
    browser = await launchChromium(chromium);
    const page: Page = await (await browser.newContext()).newPage();
    const email = `browser-${Date.now()}@example.test`;
    await page.goto(`${base}/sign-up`);
    await page.getByLabel("Name").fill("Live Test");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL("**/chat");
    const box = page.getByLabel("Message the assistant");
    await box.fill("Add a task to buy groceries");
    await box.press("Enter");
    await page.locator(".task-panel").getByText(/buy groceries/i).waitFor({ timeout: 60_000 });

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL("**/sign-in");
    // sign in on a sign-in page that has finished loading (a form filled before the page is interactive
    // is lost), as a person would: if it does not go through, load the page again and retry once
    for (let attempt = 1; ; attempt++) {
      await page.goto(`${base}/sign-in`);
      await page.waitForLoadState("networkidle", { timeout: 15_000 }).catch(() => undefined);
      await page.getByRole("heading", { name: "Welcome back" }).waitFor();
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password").fill(PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();
      try {
        await page.waitForURL("**/chat", { timeout: 30_000 });
        break;
      } catch (error) {
        const text = await page.locator("body").innerText().catch(() => "(no page text)");
        if (attempt >= 2) throw new Error(`signing in again did not reach /chat; the page shows:\n${text.slice(0, 1500)}`, { cause: error });
      }
    }
    await page.getByRole("link", { name: "Tasks", exact: true }).click();
    await page.waitForURL("**/tasks");
    try {
      await page.locator(".task-list .task").filter({ hasText: /buy groceries/i }).waitFor({ timeout: 60_000 });
    } catch (error) {
      // what the user saw, for the failure message (and a screenshot under .test-output/)
      await page.screenshot({ path: join(repoRoot, ".test-output", "live-tasks.png") }).catch(() => undefined);
      const text = await page.locator("body").innerText().catch(() => "(no page text)");
      throw new Error(`the task list after signing in again shows no "buy groceries":\n${text.slice(0, 2000)}`, { cause: error });
    }
  }, 300_000);

  it("3. a second pulumi up with no change rebuilds no image, updates nothing, and keeps every Pod", async () => {
    const { ws } = live();
    const before = { backend: await podUids("backend"), frontend: await podUids("frontend"), postgresql: await podUids("postgresql") };
    const images = [imageId(outputs["backendImage"] ?? ""), imageId(outputs["frontendImage"] ?? "")];
    const started = Date.now();
    const log = await ws.pulumiOk(["up", "--yes", "--skip-preview"]);
    process.stderr.write(`[live] no-change pulumi up: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    expect(log).not.toMatch(/\b(created|updated|replaced|deleted)\b/);
    expect(await stackOutputs(ws)).toEqual(outputs);
    expect([imageId(outputs["backendImage"] ?? ""), imageId(outputs["frontendImage"] ?? "")]).toEqual(images);
    expect({ backend: await podUids("backend"), frontend: await podUids("frontend"), postgresql: await podUids("postgresql") }).toEqual(before);
  }, 900_000);

  it("4. a backend source change rebuilds only the backend image and rolls only the backend, with no failed request meanwhile", async () => {
    const { ws } = live();
    const base = outputs["frontendUrl"] ?? "";
    session = await signUp(base);
    await addTask(base, session, "survive the rollout");
    const frontendBefore = await podUids("frontend");
    const backendBefore = await podUids("backend");

    const sourceDir = join(ws.dir, "apps", "backend", "src");
    const source = readdirSync(sourceDir).find((f) => f.endsWith(".ts"));
    if (!source) throw new Error(`no .ts file in ${sourceDir}`);
    appendFileSync(join(sourceDir, source), "\n// live suite: a source-only change\n");

    // a bounded request loop through frontendUrl (frontend proxy -> backend -> PostgreSQL) during the up
    const counts = { ok: 0, failed: 0, errors: [] as string[] };
    let running = true;
    const loop = (async () => {
      const deadline = Date.now() + 20 * 60_000;
      for (let i = 0; running && i < 100_000 && Date.now() < deadline; i++) {
        try {
          const titles = await taskTitles(base, session!);
          if (titles.includes("survive the rollout")) counts.ok++;
          else throw new Error(`the task is missing: ${JSON.stringify(titles)}`);
        } catch (error) {
          counts.failed++;
          if (counts.errors.length < 5) counts.errors.push(String(error));
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const started = Date.now();
    await ws.pulumiOk(["up", "--yes", "--skip-preview"], 1_800_000);
    const upSeconds = (Date.now() - started) / 1000;
    running = false;
    await loop;
    process.stderr.write(
      `[live] backend change: pulumi up (rebuild + rollout of ${REPLICAS} replicas) ${upSeconds.toFixed(1)} s; ` +
        `requests during it: ${counts.ok} ok, ${counts.failed} failed\n`,
    );

    const after = await stackOutputs(ws);
    expect(after["backendImage"]).not.toBe(outputs["backendImage"]);
    expect(after["frontendImage"]).toBe(outputs["frontendImage"]);
    expect(await podUids("frontend")).toEqual(frontendBefore);
    const backendAfter = await podUids("backend");
    expect(backendAfter).toHaveLength(REPLICAS);
    expect(backendAfter.filter((uid) => backendBefore.includes(uid))).toEqual([]);
    expect(counts.ok).toBeGreaterThan(0);
    expect(counts.failed, counts.errors.join("\n")).toBe(0);
    outputs = after;
  }, 1_900_000);

  it("5. the tasks survive that rollout and a delete of the PostgreSQL Pod", async () => {
    const { kube } = live();
    const base = outputs["frontendUrl"] ?? "";
    if (!session) throw new Error("no session from the previous test");
    expect(await taskTitles(base, session)).toContain("survive the rollout");
    const [pod] = await kube.list<Pod>(`/api/v1/namespaces/${NS}/pods`, "app.kubernetes.io/component=postgresql");
    if (!pod) throw new Error("no PostgreSQL Pod");
    await kube.call("DELETE", `/api/v1/namespaces/${NS}/pods/${pod.metadata.name}`);
    const titles = await eventually(
      "the task listed again after PostgreSQL's Pod came back",
      async () => {
        const now = await kube.list<Pod>(`/api/v1/namespaces/${NS}/pods`, "app.kubernetes.io/component=postgresql");
        if (!now[0] || now[0].metadata.uid === pod.metadata.uid) return undefined;
        return await taskTitles(base, session!).catch(() => undefined);
      },
      240_000,
    );
    expect(titles).toContain("survive the rollout");
    // One answer can come through one backend while the other is still unready from the outage (its /ready
    // needs the database). The release is back when every backend replica is Ready and serving again:
    // wait for that, so what follows does not start inside the outage's tail (seen once: a sign-up right
    // after this test got the frontend's 502 "backend could not be reached (ECONNREFUSED)": no endpoint).
    await eventually(
      `all ${REPLICAS} backend Pods Ready in the backend Service's endpoints after PostgreSQL came back`,
      async () => {
        const slices = await kube.list<KubeObject & { endpoints?: { conditions?: { ready?: boolean } }[] }>(
          `/apis/discovery.k8s.io/v1/namespaces/${NS}/endpointslices`,
          "kubernetes.io/service-name=todo-chatbot-backend",
        );
        const ready = slices.flatMap((slice) => slice.endpoints ?? []).filter((e) => e.conditions?.ready === true);
        return ready.length === REPLICAS ? ready.length : undefined;
      },
      120_000,
    );
    expect(await taskTitles(base, session)).toContain("survive the rollout");
  }, 300_000);

  // 6, 7 and 8 are independent (own accounts, own stacks and namespaces): they run side by side (vitest runs
  // consecutive concurrent tests together, then 9), which overlaps 6's waits with 7's and 8's builds and rollouts.
  // Each asserts with its own test context's expect, as concurrent tests must.
  it.concurrent("6. one client failing sign-ins from the same address cannot stop another from signing in; the failing account gets 429 + Retry-After whatever X-Forwarded-For says", async ({ expect }) => {
    const base = outputs["frontendUrl"] ?? "";
    // Both clients run on this host, so the frontend sees one client address for both, as every browser
    // behind one NAT (or Minikube's NodePort with externalTrafficPolicy: Cluster) would.
    const victim = await signUp(base);
    const target = await signUp(base);
    const attacker = (async () => {
      const answers: { status: number; retryAfter: string | null; code?: string }[] = [];
      for (let i = 0; i < 12; i++) {
        // a forged X-Forwarded-For per attempt: the proxy replaces it, and the throttle is per account anyway
        const response = await signInAttempt(base, target.email, `wrong-password-${i}`, { "x-forwarded-for": `203.0.113.${i + 1}` });
        const body = (await response.json().catch(() => ({}))) as { error?: { code?: string } };
        answers.push({ status: response.status, retryAfter: response.headers.get("retry-after"), code: body.error?.code });
        await new Promise((r) => setTimeout(r, 3_000));
      }
      return answers;
    })();
    const victimStatuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      await new Promise((r) => setTimeout(r, 4_500));
      victimStatuses.push((await signInAttempt(base, victim.email)).status);
    }
    const answers = await attacker;
    process.stderr.write(`[live] two clients: failing sign-ins ${answers.map((a) => a.status).join(" ")}; the other's ${victimStatuses.join(" ")}\n`);

    expect(victimStatuses).toEqual(victimStatuses.map(() => 200));
    const statuses = answers.map((a) => a.status);
    const firstRefused = statuses.indexOf(429);
    expect(firstRefused, `the failing account was never throttled: ${statuses.join(" ")}`).toBeGreaterThan(0);
    expect(statuses).toEqual(statuses.map((_, i) => (i < firstRefused ? 401 : 429)));
    for (const refused of answers.slice(firstRefused)) {
      expect(Number(refused.retryAfter)).toBeGreaterThan(0);
      expect(refused.code).toBe("too_many_attempts");
    }
  }, 300_000);

  it.concurrent("7. images built into another daemon than the node's: pulumi up fails after rolloutTimeoutSeconds naming ErrImageNeverPull; diagnose says what to do", async ({ expect }) => {
    const { cluster } = live();
    const wrong = createWorkspace({ projectDir: repoRoot, pathEntries: pathEntries ?? "", stack: "wrong-daemon" });
    try {
      const namespace = "todo-chatbot-wrong-daemon";
      // sources of its own, so the tags (content hashes) are ones the node's daemon has never built
      for (const app of ["backend", "frontend"]) {
        const dir = join(wrong.dir, "apps", app, "src");
        const file = readdirSync(dir, { recursive: true, encoding: "utf8" }).find((f) => /\.tsx?$/.test(f));
        if (!file) throw new Error(`no source file in ${dir}`);
        appendFileSync(join(dir, file), `\n// live suite: built into another daemon\n`);
      }
      await configure(wrong, { ...minikubeSettings(cluster, postgresqlImage), dockerHost: podmanApi(), namespace, rolloutTimeoutSeconds: "30" });
      const started = Date.now();
      const run = await wrong.pulumi(["up", "--yes", "--skip-preview"], 1_800_000);
      const seconds = (Date.now() - started) / 1000;
      const output = `${run.stdout}\n${run.stderr}`;
      process.stderr.write(`[live] wrong daemon: pulumi up exited ${run.code} after ${seconds.toFixed(1)} s (rolloutTimeoutSeconds 30, image builds included)\n`);
      expect(run.code).not.toBe(0);
      // the provider's await names the Pods' waiting reason and the kubelet's message
      expect(output).toMatch(/ErrImageNeverPull/);
      expect(output).toMatch(/is not present with pull policy of Never/);

      const diagnose = spawnSync("npm", ["run", "--silent", "diagnose", "--", "--namespace", namespace, "--context", cluster.env.KUBE_CONTEXT], {
        cwd: repoRoot,
        encoding: "utf8",
        env: { ...process.env, KUBECONFIG: cluster.kubeconfig },
        timeout: 120_000,
      });
      expect(diagnose.stdout).toMatch(/ErrImageNeverPull/);
      expect(diagnose.stdout).toMatch(/docker-env|dockerHost/);
      await wrong.pulumiOk(["destroy", "--yes", "--skip-preview"], 900_000);
    } finally {
      wrong.destroy();
    }
  }, 2_400_000);

  it.concurrent("8. registry mode: images pushed through the Docker API to a registry, pulled by the kubelet (IfNotPresent), Pods Ready, the app answers", async ({ expect }) => {
    const { cluster, kube } = live();
    const registry = cluster.env.REGISTRY;
    if (!registry) throw new Error("the cluster was started without its registry");
    const stack = createWorkspace({ projectDir: repoRoot, pathEntries: pathEntries ?? "", stack: "registry" });
    const namespace = "todo-chatbot-registry";
    try {
      await configure(stack, { ...minikubeSettings(cluster, postgresqlImage), registry, namespace });
      await stack.pulumiOk(["up", "--yes", "--skip-preview"], 1_800_000);
      const out = await stackOutputs(stack);
      expect(out["backendImage"]).toMatch(new RegExp(`^${registry.replaceAll(".", "\\.")}/todo-chatbot-backend:`));
      const catalog = (await (await fetch(`http://${registry}/v2/_catalog`)).json()) as { repositories: string[] };
      expect(catalog.repositories).toEqual(expect.arrayContaining(["todo-chatbot-backend", "todo-chatbot-frontend"]));
      const deployments = await kube.list<Workload & { spec: { template: { spec: { containers: { imagePullPolicy?: string }[] } } } }>(
        `/apis/apps/v1/namespaces/${namespace}/deployments`,
      );
      expect(deployments.flatMap((d) => d.spec.template.spec.containers.map((c) => c.imagePullPolicy))).toEqual(["IfNotPresent", "IfNotPresent"]);

      // the node forgets the images it built; new Pods must pull them from the registry
      const refs = [out["backendImage"] ?? "", out["frontendImage"] ?? ""];
      const rmi = spawnSync("docker", ["rmi", "-f", ...refs], { encoding: "utf8", env: cluster.dockerEnv() });
      expect(rmi.status, rmi.stderr).toBe(0);
      for (const pod of await kube.list<Pod>(`/api/v1/namespaces/${namespace}/pods`, "app.kubernetes.io/component in (backend,frontend)")) {
        await kube.call("DELETE", `/api/v1/namespaces/${namespace}/pods/${pod.metadata.name}`);
      }
      const pulled = await eventually(
        "the kubelet pulling both images from the registry, the new Pods Ready",
        async () => {
          const events = await kube.events(namespace);
          const images = refs.filter((ref) => events.some((e) => e.reason === "Pulled" && (e.message ?? "").includes(ref) && /Successfully pulled/.test(e.message ?? "")));
          const pods = await kube.list<Pod>(`/api/v1/namespaces/${namespace}/pods`, "app.kubernetes.io/component in (backend,frontend)");
          const ready = pods.length >= 2 && pods.every((p) => p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"));
          return images.length === 2 && ready ? images : undefined;
        },
        300_000,
      );
      expect(pulled).toEqual(refs);
      // The Pods were replaced behind Pulumi's back: a connection opened before kube-proxy has the new
      // endpoint is DNATed to the old Pod's address, and its SYN retries keep that conntrack entry, so
      // it hangs. A user reloads; so does this (a new connection each try, 5 s each, a minute at most).
      const status = await eventually(
        "frontendUrl answering 200 from the new frontend Pod",
        async () => {
          const response = await fetch(out["frontendUrl"] ?? "", { signal: AbortSignal.timeout(5_000) });
          if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
          return response.status;
        },
        60_000,
      );
      expect(status).toBe(200);
      await stack.pulumiOk(["destroy", "--yes", "--skip-preview"], 900_000);
    } finally {
      stack.destroy();
    }
  }, 2_400_000);

  it("9. pulumi destroy removes every object of the stack and the namespace, and leaves the stack empty", async () => {
    const { kube, ws } = live();
    const state = JSON.parse(await ws.pulumiOk(["stack", "export"])) as {
      deployment: { resources?: { type: string; id?: string; outputs?: { apiVersion?: string; kind?: string; metadata?: { name?: string; namespace?: string } } }[] };
    };
    const objects = (state.deployment.resources ?? [])
      .filter((r) => r.type.startsWith("kubernetes:") && !r.type.startsWith("kubernetes:helm") && r.type !== "pulumi:providers:kubernetes")
      .map((r) => r.outputs ?? {})
      .filter((o) => o.apiVersion && o.kind && o.metadata?.name);
    expect(objects.length).toBeGreaterThan(10);
    await ws.pulumiOk(["destroy", "--yes", "--skip-preview"], 900_000);
    const left: string[] = [];
    for (const o of objects) {
      const path = await kube.pathOf(o.apiVersion ?? "", o.kind ?? "", o.metadata?.namespace ?? NS, o.metadata?.name ?? "");
      const response = await kube.send("GET", path);
      if (response.status !== 404) left.push(`${o.kind}/${o.metadata?.name} (${response.status})`);
    }
    expect(left).toEqual([]);
    expect((await kube.send("GET", `/api/v1/namespaces/${NS}`)).status).toBe(404);
    const after = JSON.parse(await ws.pulumiOk(["stack", "export"])) as { deployment: { resources?: unknown[] } };
    expect(after.deployment.resources ?? []).toEqual([]);
  }, 900_000);
});
