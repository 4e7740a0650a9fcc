import { describe, expect, it } from "vitest";
import { SECRET_CHECKSUM_ANNOTATION, SECRET_NAME } from "../../stack/release/names";
import { MINIKUBE_IP, at, backendPodAnnotations, runProgram, type ProgramRun, type Recorded } from "../support/pulumi-mocks";

const IMAGE = "docker:index/image:Image";
const CHART = "kubernetes:helm.sh/v4:Chart";
const SECRET = "kubernetes:core/v1:Secret";
const NAMESPACE = "kubernetes:core/v1:Namespace";
const DOCKER_PROVIDER = "pulumi:providers:docker";
const K8S_PROVIDER = "pulumi:providers:kubernetes";

function providerUrn(run: ProgramRun, type: string): string {
  const provider = run.one(type);
  return `urn:pulumi:dev::todo-chatbot::todo-chatbot:index:ClusterEnvironment$${type}::${provider.name}`;
}

/** The provider URN of a resource (its provider reference without the id). */
function providerOf(resource: Recorded | undefined): string | undefined {
  return resource?.provider?.split("::").slice(0, -1).join("::");
}

describe("the stack on Minikube (defaults)", async () => {
  const run = await runProgram();

  it("registers exactly the resources `pulumi preview` lists (the chart's objects come from the provider)", () => {
    expect(run.resources.map((r) => `${r.type} ${r.name}`).sort()).toEqual(
      [
        "todo-chatbot:index:ClusterEnvironment cluster",
        "pulumi:providers:docker cluster-docker",
        "pulumi:providers:kubernetes cluster-kubernetes",
        "todo-chatbot:index:AppImage backend",
        "todo-chatbot:index:AppImage frontend",
        "docker:index/image:Image backend",
        "docker:index/image:Image frontend",
        "todo-chatbot:index:AppNamespace namespace",
        "kubernetes:core/v1:Namespace namespace",
        "todo-chatbot:index:AppSecrets app-secrets",
        "random:index/randomPassword:RandomPassword app-secrets-auth-secret",
        "random:index/randomPassword:RandomPassword app-secrets-postgres-password",
        "kubernetes:core/v1:Secret app-secrets",
        "todo-chatbot:index:AppRelease todo-chatbot",
        "kubernetes:helm.sh/v4:Chart todo-chatbot",
        "kubernetes:core/v1:Service todo-chatbot-frontend-service",
      ].sort(),
    );
  });

  it("asks minikube for the profile's runtime and daemon, and nothing else", () => {
    expect(run.commands).toEqual([
      ["minikube", "profile", "list", "-o", "json", "--light"],
      ["minikube", "-p", "minikube", "docker-env", "--shell", "bash"],
    ]);
  });

  it("builds a Docker provider from minikube docker-env (host and TLS certificates)", () => {
    const docker = run.one(DOCKER_PROVIDER);
    expect(docker.inputs.host).toBe(`tcp://${MINIKUBE_IP}:2376`);
    expect(docker.inputs.certPath).toBe("/home/dev/.minikube/certs");
  });

  it("pins the Kubernetes provider to the profile's context", () => {
    expect(run.one(K8S_PROVIDER).inputs.context).toBe("minikube");
  });

  it("builds both images on the Minikube Docker provider, not pushed, no registry", () => {
    const images = run.byType(IMAGE);
    expect(images.map((i) => i.name).sort()).toEqual(["backend", "frontend"]);
    for (const image of images) {
      expect(providerOf(image)).toBe(providerUrn(run, DOCKER_PROVIDER));
      expect(image.inputs.skipPush).toBe(true);
      expect(image.inputs.registry).toBeUndefined();
      expect(at(image.inputs, "build.context")).toBe(".");
      expect(at(image.inputs, "build.builderVersion")).toBe("BuilderBuildKit");
      expect(at(image.inputs, "build.dockerfile")).toBe(`apps/${image.name}/Dockerfile`);
      expect(image.inputs.imageName).toMatch(new RegExp(`^todo-chatbot-${image.name}:[0-9a-f]{16}$`));
    }
  });

  it("creates the namespace with Pod Security restricted enforced", () => {
    const ns = run.one(NAMESPACE);
    expect(at(ns.inputs, "metadata.name")).toBe("todo-chatbot");
    expect(at(ns.inputs, "metadata.labels")).toMatchObject({
      "pod-security.kubernetes.io/enforce": "restricted",
      "pod-security.kubernetes.io/audit": "restricted",
      "pod-security.kubernetes.io/warn": "restricted",
    });
  });

  it("creates one Secret with the contract's keys in the release namespace", () => {
    const secret = run.one(SECRET);
    expect(at(secret.inputs, "metadata.name")).toBe(SECRET_NAME);
    expect(at(secret.inputs, "metadata.namespace")).toBe("todo-chatbot");
    const data = at(secret.inputs, "stringData") as Record<string, string>;
    expect(Object.keys(data).sort()).toEqual(["BETTER_AUTH_SECRET", "POSTGRES_PASSWORD"]);
    expect(data.POSTGRES_PASSWORD).toMatch(/^[A-Za-z0-9]+$/);
  });

  it("generates the auth secret and an alphanumeric PostgreSQL password with @pulumi/random", () => {
    const passwords = run.byType("random:index/randomPassword:RandomPassword");
    expect(passwords.map((p) => p.name).sort()).toEqual(["app-secrets-auth-secret", "app-secrets-postgres-password"]);
    for (const p of passwords) expect(p.inputs.special).toBe(false);
    const auth = passwords.find((p) => p.name === "app-secrets-auth-secret");
    expect(auth?.inputs.length).toBeGreaterThanOrEqual(32);
  });

  it("installs apps/chart with existingSecret, pull policy Never and both image refs", () => {
    const chart = run.one(CHART);
    expect(chart.inputs.chart).toBe("./apps/chart");
    expect(chart.inputs.namespace).toBe("todo-chatbot");
    const values = chart.inputs.values;
    expect(at(values, "existingSecret")).toBe(SECRET_NAME);
    expect(at(values, "image.pullPolicy")).toBe("Never");
    const [backend, frontend] = ["backend", "frontend"].map((n) => run.byType(IMAGE).find((i) => i.name === n) as Recorded);
    expect(`${at(values, "backend.image.repository")}:${at(values, "backend.image.tag")}`).toBe(backend?.inputs.imageName);
    expect(`${at(values, "frontend.image.repository")}:${at(values, "frontend.image.tag")}`).toBe(frontend?.inputs.imageName);
    expect(at(values, "postgresql.enabled")).toBe(true);
    expect(at(values, "frontend.service.type")).toBe("LoadBalancer");
    expect(at(values, "frontend.service.annotations")).toEqual({ "pulumi.com/skipAwait": "true" });
    expect(at(values, "networkPolicy.llmEgress")).toBe(false);
  });

  it("puts every Kubernetes object on the pinned provider", () => {
    const k8sUrn = providerUrn(run, K8S_PROVIDER);
    const kube = run.resources.filter((r) => r.type.startsWith("kubernetes:"));
    expect(kube.map((r) => r.type).sort()).toEqual([CHART, "kubernetes:core/v1:Namespace", SECRET, "kubernetes:core/v1:Service"].sort());
    // the chart too: every object it renders inherits its provider
    for (const r of kube) expect(providerOf(r), r.type).toBe(k8sUrn);
  });

  it("gives the chart a transform that bounds every wait and never waits for a LoadBalancer", async () => {
    expect(await backendPodAnnotations(run)).toEqual({ [SECRET_CHECKSUM_ANNOTATION]: expect.stringMatching(/^[0-9a-f]{32}$/) });
    const chart = run.one(CHART);
    expect(chart.transforms).toHaveLength(1);
    const transform = chart.transforms[0];
    const deployment = await transform?.({
      custom: true,
      type: "kubernetes:apps/v1:Deployment",
      name: "todo-chatbot-backend",
      props: { metadata: { name: "todo-chatbot-backend", annotations: { a: "b" } } },
      opts: {},
    });
    expect(at(deployment?.props, "metadata.annotations")).toEqual({ a: "b", "pulumi.com/timeoutSeconds": "300", "pulumi.com/patchForce": "true" });
    const lb = await transform?.({
      custom: true,
      type: "kubernetes:core/v1:Service",
      name: "todo-chatbot-frontend",
      props: { spec: { type: "LoadBalancer" } },
      opts: {},
    });
    expect(at(lb?.props, "metadata.annotations")).toEqual({ "pulumi.com/timeoutSeconds": "300", "pulumi.com/skipAwait": "true", "pulumi.com/patchForce": "true" });
    const clusterIp = await transform?.({ custom: true, type: "kubernetes:core/v1:Service", name: "b", props: { spec: { type: "ClusterIP" } }, opts: {} });
    expect(at(clusterIp?.props, "metadata.annotations")).toEqual({ "pulumi.com/timeoutSeconds": "300", "pulumi.com/patchForce": "true" });
  });

  it("reads the frontend Service after the chart and exports the NodePort URL while no LoadBalancer address exists", () => {
    const read = run.one("kubernetes:core/v1:Service");
    expect(read.id).toBe("todo-chatbot/todo-chatbot-frontend");
    expect(run.outputs.frontendUrl).toBe(`http://${MINIKUBE_IP}:31080`);
    expect(run.outputs.frontendUrlKind).toBe("NodePort");
    expect(run.outputs.reachCommand).toContain("minikube -p minikube tunnel");
  });

  it("exports namespace, both image refs and the kube context", () => {
    const images = Object.fromEntries(run.byType(IMAGE).map((i) => [i.name, i.inputs.imageName]));
    expect(run.outputs).toMatchObject({
      namespace: "todo-chatbot",
      backendImage: images.backend,
      frontendImage: images.frontend,
      kubeContext: "minikube",
    });
  });
});

describe("the LoadBalancer address, once `minikube tunnel` assigned one", async () => {
  const run = await runProgram({ service: { type: "LoadBalancer", nodePort: 31080, ingressIp: "10.96.0.42" } });
  it("is the exported URL", () => {
    expect(run.outputs.frontendUrl).toBe("http://10.96.0.42");
    expect(run.outputs.frontendUrlKind).toBe("LoadBalancer");
  });
});

describe("a preview", async () => {
  const run = await runProgram({ preview: true });
  it("does not read the live Service (it may not exist yet) and leaves the URL unknown", () => {
    expect(run.byType("kubernetes:core/v1:Service")).toHaveLength(0);
    expect(run.outputs.frontendUrl).toBeUndefined();
    expect(run.outputs.backendImage).toMatch(/^todo-chatbot-backend:/);
  });
  it("still hands the chart complete values, so the preview renders every object", () => {
    const values = run.one(CHART).inputs.values;
    expect(`${at(values, "backend.image.repository")}:${at(values, "backend.image.tag")}`).toBe(run.outputs.backendImage);
    expect(at(values, "existingSecret")).toBe(SECRET_NAME);
    expect(run.one(CHART).inputs.namespace).toBe("todo-chatbot");
  });
});

describe("AIOps through the program (todo-chatbot:aiops)", async () => {
  const off = await runProgram({ config: { openaiApiKey: "fake-test-key-for-aiops-0123456789" }, secretKeys: ["openaiApiKey"] });
  const on = await runProgram({
    config: { aiops: "true", openaiApiKey: "fake-test-key-for-aiops-0123456789" },
    secretKeys: ["openaiApiKey"],
  });
  const pinned = await runProgram({
    config: { aiops: "true", aiopsKagentVersion: "0.9.13", aiopsProvider: "ollama", aiopsModel: "qwen2.5" },
  });

  it("installs nothing of kagent by default, and exports no agent", () => {
    expect(off.resources.filter((r) => r.type.includes("kagent") || r.type === "kubernetes:helm.sh/v3:Release")).toEqual([]);
    expect(off.outputs.aiopsAgent).toBeUndefined();
  });

  it("installs kagent-crds and kagent 0.9.12 from kagent's OCI repository and the app's Agent, all on the pinned provider, when switched on", () => {
    const releases = on.byType("kubernetes:helm.sh/v3:Release");
    expect(releases.map((r) => [r.inputs.name, r.inputs.chart, r.inputs.version, r.inputs.namespace]).sort()).toEqual([
      ["kagent", "oci://ghcr.io/kagent-dev/kagent/helm/kagent", "0.9.12", "kagent"],
      ["kagent-crds", "oci://ghcr.io/kagent-dev/kagent/helm/kagent-crds", "0.9.12", "kagent"],
    ]);
    const agent = on.one("kubernetes:kagent.dev/v1alpha2:Agent");
    for (const resource of [...releases, agent]) expect(providerOf(resource), resource.name).toBe(providerUrn(on, K8S_PROVIDER));
    expect(on.outputs.aiopsAgent).toBe("todo-chatbot-ops");
    expect(on.outputs.aiopsInvoke).toBe('kagent invoke --agent todo-chatbot-ops --task "Why is the todo-chatbot backend not ready?" -n kagent');
  });

  it("takes the aiops* keys from the stack config: chart version, provider and model", () => {
    const releases = pinned.byType("kubernetes:helm.sh/v3:Release");
    expect(releases.map((r) => r.inputs.version)).toEqual(["0.9.13", "0.9.13"]);
    expect(at(pinned.one("kubernetes:kagent.dev/v1alpha2:ModelConfig").inputs, "spec")).toMatchObject({ provider: "Ollama", model: "qwen2.5" });
    // no OpenAI key with ollama: no Secret for the model in kagent's namespace
    expect(pinned.byType(SECRET).map((s) => at(s.inputs, "metadata.namespace"))).toEqual(["todo-chatbot"]);
  });
});
