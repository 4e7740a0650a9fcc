import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { PULUMI_YAML_MARKER, renderPulumiYaml } from "../../scripts/config-table";
import { CONFIG_KEYS, CONFIG_KEY_NAMES, PLAIN_KEYS, SECRET_KEYS, type PlainKey } from "../../stack/config/keys";
import { parseSettings } from "../../stack/config/settings";
import { at, runProgram } from "../support/pulumi-mocks";

const root = join(__dirname, "..", "..");
const pulumiYaml = readFileSync(join(root, "Pulumi.yaml"), "utf8");

describe("Pulumi.yaml's config block, generated from the table (stack/config/keys.ts)", () => {
  it("is exactly what `npm run docs:config` renders from the table", () => {
    expect(pulumiYaml, "Pulumi.yaml is stale: run npm run docs:config").toContain(PULUMI_YAML_MARKER);
    expect(pulumiYaml, "Pulumi.yaml is stale: run npm run docs:config").toBe(renderPulumiYaml(pulumiYaml));
  });

  it("declares, as Pulumi reads it, every key of the table with its type and default, in the project's namespace", () => {
    const project = parse(pulumiYaml) as { name: string; config: Record<string, { type: string; default: unknown; description: string }> };
    expect(project.name).toBe("todo-chatbot");
    expect(Object.keys(project.config)).toEqual(CONFIG_KEY_NAMES);
    expect(CONFIG_KEY_NAMES.length).toBeGreaterThan(20);
    for (const key of CONFIG_KEY_NAMES) {
      expect(project.config[key], key).toMatchObject({ type: CONFIG_KEYS[key].type, default: CONFIG_KEYS[key].default });
      expect(project.config[key]?.description, key).toBeTruthy();
    }
  });

  it("marks the secret keys as secrets to set with --secret (optional: empty default, no `secret: true`)", () => {
    const config = (parse(pulumiYaml) as { config: Record<string, { default: unknown; description: string; secret?: boolean }> }).config;
    expect(SECRET_KEYS).toEqual(["openaiApiKey", "databaseUrl", "registryPassword"]);
    for (const key of SECRET_KEYS) {
      expect(config[key]?.description, key).toMatch(new RegExp(`^Secret: .*pulumi config set --secret ${key} `));
      expect(config[key]?.default).toBe("");
      expect(config[key]?.secret).toBeUndefined();
    }
  });

  it("keeps Pulumi.dev.yaml free of plaintext secrets", () => {
    const dev = readFileSync(join(root, "Pulumi.dev.yaml"), "utf8");
    for (const key of SECRET_KEYS) expect(dev).not.toMatch(new RegExp(`todo-chatbot:${key}:\\s*[^\\s]`));
  });
});

/**
 * For each plain key, a valid value other than its default, and the other keys it needs to have an effect
 * (a Record over every key: a key added to the table without a line here fails the typecheck).
 */
const SAMPLES: Record<PlainKey, { value: string; with?: Partial<Record<PlainKey, string>> }> = {
  namespace: { value: "todo-demo" },
  minikubeProfile: { value: "demo" },
  kubeContext: { value: "kind-kind" },
  dockerHost: { value: "unix:///run/podman/podman.sock" },
  dockerCertPath: { value: "/certs" },
  nodeAddress: { value: "10.0.0.5" },
  builder: { value: "classic" },
  buildNetwork: { value: "host" },
  buildPlatform: { value: "linux/arm64" },
  replicas: { value: "3" },
  frontendServiceType: { value: "NodePort" },
  imagePullPolicy: { value: "Always" },
  rolloutTimeoutSeconds: { value: "600" },
  publicUrl: { value: "https://todo.example.com" },
  openaiModel: { value: "gpt-4.1" },
  openaiBaseUrl: { value: "http://vllm.local/v1" },
  postgresqlImage: { value: "mirror.local:5000/library/postgres:17.6-bookworm" },
  logLevel: { value: "debug" },
  chatRateLimitPerMinute: { value: "50" },
  registry: { value: "ghcr.io/me", with: { kubeContext: "kind-kind" } },
  registryUsername: { value: "bot" },
  nodeImage: { value: "localhost/node:24-offline" },
  renderYamlToDirectory: { value: "/tmp/rendered" },
  aiops: { value: "true" },
  aiopsWriteTools: { value: "true", with: { aiops: "true" } },
  aiopsSampleAgents: { value: "true", with: { aiops: "true" } },
  aiopsProvider: { value: "ollama", with: { aiops: "true" } },
  aiopsModel: { value: "gpt-4o", with: { aiops: "true" } },
  aiopsOpenaiBaseUrl: { value: "http://vllm.local/v1", with: { aiops: "true" } },
  aiopsOllamaHost: { value: "http://ollama.local:11434", with: { aiops: "true", aiopsProvider: "ollama" } },
  aiopsKagentVersion: { value: "0.9.13", with: { aiops: "true" } },
};

describe("settings", () => {
  it("read every plain key of the table: a value other than the default changes the settings", () => {
    expect(Object.keys(SAMPLES).sort()).toEqual([...PLAIN_KEYS].sort());
    for (const key of PLAIN_KEYS) {
      const { value, with: others = {} } = SAMPLES[key];
      expect(value, `${key}'s sample must differ from its default`).not.toBe(String(CONFIG_KEYS[key].default));
      const before = parseSettings(others, { openaiApiKey: "encrypted" });
      const after = parseSettings({ ...others, [key]: value }, { openaiApiKey: "encrypted" });
      expect(after, `todo-chatbot:${key} is in the table but not read`).not.toEqual(before);
    }
  });

  it("apply the defaults on Minikube", () => {
    const s = parseSettings({});
    expect(s.cluster).toEqual({
      mode: "minikube",
      minikubeProfile: "minikube",
      kubeContext: "",
      dockerHost: "",
      dockerCertPath: "",
      nodeAddress: "",
      renderYamlToDirectory: "",
    });
    expect(s.image).toMatchObject({ builder: "buildkit", registry: "" });
    expect(s.release).toMatchObject({ namespace: "todo-chatbot", replicas: 1, frontendServiceType: "LoadBalancer", imagePullPolicy: "Never" });
    expect(s.aiops).toBeUndefined();
    expect(s.has).toEqual({ openaiApiKey: false, databaseUrl: false, registryPassword: false });
  });

  it("pull IfNotPresent and need an explicit context with a registry", () => {
    expect(() => parseSettings({ registry: "ghcr.io/me" })).toThrow(
      /todo-chatbot:kubeContext is required when todo-chatbot:registry is set .*: run pulumi config set kubeContext/,
    );
    const s = parseSettings({ registry: "ghcr.io/me/", kubeContext: "kind-kind" });
    expect(s.cluster).toMatchObject({ mode: "registry", kubeContext: "kind-kind" });
    expect(s.image.registry).toBe("ghcr.io/me");
    expect(s.release.imagePullPolicy).toBe("IfNotPresent");
    expect(() => parseSettings({ registry: "ghcr.io/me", kubeContext: "k", imagePullPolicy: "Never" })).toThrow(
      /todo-chatbot:imagePullPolicy is Never but todo-chatbot:registry is set.*: run pulumi config set imagePullPolicy auto/,
    );
  });

  it.each([
    ["replicas", "0", /todo-chatbot:replicas must be a whole number from 1 to 20, got "0": run pulumi config set replicas 1, or pulumi config rm replicas for the default \(1\)/],
    ["replicas", "two", /todo-chatbot:replicas must be a whole number/],
    ["frontendServiceType", "Ingress", /todo-chatbot:frontendServiceType must be one of LoadBalancer, NodePort, ClusterIP, got "Ingress": run pulumi config set frontendServiceType LoadBalancer/],
    ["builder", "kaniko", /todo-chatbot:builder must be one of buildkit, classic/],
    ["namespace", "Todo_Chatbot", /todo-chatbot:namespace must be a DNS label/],
    ["imagePullPolicy", "Sometimes", /todo-chatbot:imagePullPolicy must be one of auto, Never, IfNotPresent, Always/],
    ["logLevel", "loud", /todo-chatbot:logLevel must be one of fatal, error, warn, info, debug, trace/],
    ["rolloutTimeoutSeconds", "5", /todo-chatbot:rolloutTimeoutSeconds must be a whole number from 30/],
    ["publicUrl", "todo.example.com", /todo-chatbot:publicUrl must be an http\(s\) URL such as http:\/\/todo.example.com, got "todo.example.com": run pulumi config set publicUrl/],
    ["aiops", "yes", /todo-chatbot:aiops must be true or false, got "yes"/],
    ["buildNetwork", "bridge", /todo-chatbot:buildNetwork must be one of "", host, none, got "bridge": run pulumi config set buildNetwork host, or pulumi config rm buildNetwork for the default/],
    ["postgresqlImage", "postgres", /todo-chatbot:postgresqlImage must be repository:tag such as mirror.example.com:5000\/library\/postgres:17.6-bookworm .*, got "postgres": run pulumi config set postgresqlImage/],
    ["postgresqlImage", "postgres@sha256:0123", /todo-chatbot:postgresqlImage must be repository:tag .*a digest, @sha256:..., is not supported/],
    ["postgresqlImage", "Mirror/Postgres:17", /todo-chatbot:postgresqlImage must be repository:tag/],
    ["aiopsKagentVersion", "latest", /todo-chatbot:aiopsKagentVersion must be a chart version like 0.9.12, got "latest"/],
  ])("reject %s=%s naming the key and what to run", (key, value, message) => {
    expect(() => parseSettings({ [key]: value })).toThrow(message);
  });

  it("take allowed values in any case, spelled as the table lists them", () => {
    const s = parseSettings({ frontendServiceType: "nodeport", builder: "CLASSIC", logLevel: "Debug" });
    expect([s.release.frontendServiceType, s.image.builder, s.release.logLevel]).toEqual(["NodePort", "classic", "debug"]);
  });

  it("refuse aiops with renderYamlToDirectory (kagent's Helm release needs a live cluster), naming both keys and the ways out", () => {
    expect(() => parseSettings({ aiops: "true", renderYamlToDirectory: "/tmp/rendered" }, { openaiApiKey: "encrypted" })).toThrow(
      /todo-chatbot:aiops is true while todo-chatbot:renderYamlToDirectory is set: .*pulumi config set aiops false, or pulumi config rm renderYamlToDirectory/,
    );
    expect(parseSettings({ renderYamlToDirectory: "/tmp/rendered" }).cluster.renderYamlToDirectory).toBe("/tmp/rendered");
  });

  it("report every problem at once, the secrets' among them", () => {
    expect(() => parseSettings({ replicas: "0", frontendServiceType: "x" }, { registryPassword: "plain text" })).toThrow(
      /replicas[\s\S]*frontendServiceType[\s\S]*registryPassword is stored in plain text[^\n]*pulumi config set --secret registryPassword[\s\S]*registryUsername is required/,
    );
  });
});

describe("the program with config", () => {
  it("fails before creating anything when replicas is 0, naming the key", async () => {
    await expect(runProgram({ config: { replicas: "0" } })).rejects.toThrow(/todo-chatbot:replicas/);
  });

  it("fails on an unknown service type, naming the key", async () => {
    await expect(runProgram({ config: { frontendServiceType: "Ingress" } })).rejects.toThrow(/todo-chatbot:frontendServiceType/);
  });

  it("refuses a secret key stored in plain text, saying how to store it encrypted", async () => {
    await expect(runProgram({ config: { openaiApiKey: "sk-plain-text-value" } })).rejects.toThrow(
      /todo-chatbot:openaiApiKey is stored in plain text[^\n]*pulumi config rm openaiApiKey && pulumi config set --secret openaiApiKey/,
    );
  });

  it("passes replicas and a NodePort Service to the chart, and exports the NodePort URL", async () => {
    const run = await runProgram({ config: { replicas: "3", frontendServiceType: "NodePort" }, service: { type: "NodePort", nodePort: 30123 } });
    const values = run.one("kubernetes:helm.sh/v4:Chart").inputs.values;
    expect(at(values, "backend.replicaCount")).toBe(3);
    expect(at(values, "frontend.replicaCount")).toBe(3);
    expect(at(values, "frontend.service.type")).toBe("NodePort");
    expect(at(values, "frontend.service.annotations")).toEqual({});
    expect(run.outputs.frontendUrl).toBe("http://192.168.49.2:30123");
    expect(run.outputs.reachCommand).toBe("minikube -p minikube service -n todo-chatbot todo-chatbot-frontend --url");
  });

  it("uses another profile's daemon and context", async () => {
    const run = await runProgram({ config: { minikubeProfile: "demo" } });
    // the daemon is asked of that profile only (other minikube calls, such as a profile check, may come first)
    expect(run.commands.filter((command) => command.includes("docker-env"))).toEqual([["minikube", "-p", "demo", "docker-env", "--shell", "bash"]]);
    expect(run.one("pulumi:providers:kubernetes").inputs.context).toBe("demo");
  });

  it("honours dockerHost/kubeContext overrides and the classic builder without asking for docker-env", async () => {
    const run = await runProgram({
      config: { dockerHost: "unix:///run/podman/podman.sock", kubeContext: "other", builder: "classic", nodeAddress: "10.0.0.5" },
    });
    expect(run.commands).toEqual([]);
    expect(run.one("pulumi:providers:docker").inputs).toMatchObject({ host: "unix:///run/podman/podman.sock" });
    expect(run.one("pulumi:providers:docker").inputs.certPath).toBeUndefined();
    expect(run.one("pulumi:providers:kubernetes").inputs.context).toBe("other");
    for (const image of run.byType("docker:index/image:Image")) expect(at(image.inputs, "build.builderVersion")).toBe("BuilderV1");
  });

  it("pushes to a registry with credentials and pulls IfNotPresent in registry mode", async () => {
    const run = await runProgram({
      config: { registry: "registry.example.com:5000/team", kubeContext: "kind-kind", registryUsername: "bot", registryPassword: "tok3n-value" },
      secretKeys: ["registryPassword"],
      service: { type: "LoadBalancer", ingressIp: "172.18.0.100" },
    });
    expect(run.commands).toEqual([]);
    for (const image of run.byType("docker:index/image:Image")) {
      expect(image.inputs.skipPush).toBe(false);
      expect(image.inputs.imageName).toMatch(new RegExp(`^registry.example.com:5000/team/todo-chatbot-${image.name}:[0-9a-f]{16}$`));
      expect(at(image.inputs, "registry.server")).toBe("registry.example.com:5000");
      expect(at(image.inputs, "registry.username")).toBe("bot");
    }
    const values = run.one("kubernetes:helm.sh/v4:Chart").inputs.values;
    expect(at(values, "image.pullPolicy")).toBe("IfNotPresent");
    expect(at(values, "backend.image.repository")).toBe("registry.example.com:5000/team/todo-chatbot-backend");
    expect(run.outputs.frontendUrl).toBe("http://172.18.0.100");
    expect(JSON.stringify(run.outputs)).not.toContain("tok3n-value");
  });

  it("builds FROM the configured nodeImage (build arg NODE_IMAGE), which changes both tags", async () => {
    const plain = await runProgram();
    const mirrored = await runProgram({ config: { nodeImage: "localhost/node:24-offline" } });
    for (const name of ["backend", "frontend"]) {
      const before = plain.byType("docker:index/image:Image").find((i) => i.name === name);
      const after = mirrored.byType("docker:index/image:Image").find((i) => i.name === name);
      expect(at(before?.inputs, "build.args")).toBeUndefined();
      expect(at(after?.inputs, "build.args")).toEqual({ NODE_IMAGE: "localhost/node:24-offline" });
      expect(after?.inputs.imageName).not.toBe(before?.inputs.imageName);
    }
  });

  it("runs the images' RUN steps on the configured buildNetwork (build.network), and on the daemon's default otherwise; the tags stay", async () => {
    const plain = await runProgram();
    const host = await runProgram({ config: { buildNetwork: "host" } });
    for (const name of ["backend", "frontend"]) {
      const before = plain.byType("docker:index/image:Image").find((i) => i.name === name);
      const after = host.byType("docker:index/image:Image").find((i) => i.name === name);
      expect(at(before?.inputs, "build.network"), name).toBeUndefined();
      expect(at(after?.inputs, "build.network"), name).toBe("host");
      expect(after?.inputs.imageName).toBe(before?.inputs.imageName);
    }
  });

  it("hands the chart the postgresqlImage as postgresql.image repository and tag, registry port included; nothing when unset", async () => {
    const plain = await runProgram();
    expect(at(plain.one("kubernetes:helm.sh/v4:Chart").inputs.values, "postgresql.image")).toBeUndefined();
    const mirrored = await runProgram({ config: { postgresqlImage: "registry.local:5000/library/postgres:17.6-bookworm" } });
    expect(at(mirrored.one("kubernetes:helm.sh/v4:Chart").inputs.values, "postgresql")).toEqual({
      enabled: true,
      image: { repository: "registry.local:5000/library/postgres", tag: "17.6-bookworm" },
    });
  });

  it("renders YAML to a directory without reading a live Service when renderYamlToDirectory is set", async () => {
    const run = await runProgram({
      config: { renderYamlToDirectory: "/tmp/rendered", dockerHost: "unix:///run/podman.sock", nodeAddress: "127.0.0.1", frontendServiceType: "NodePort" },
    });
    const kube = run.one("pulumi:providers:kubernetes").inputs;
    expect(kube).toMatchObject({ renderYamlToDirectory: "/tmp/rendered" });
    // the real provider refuses a context together with renderYamlToDirectory
    expect(kube.context).toBeUndefined();
    expect(run.byType("kubernetes:core/v1:Service")).toHaveLength(0);
    expect(run.outputs.frontendUrlKind).toBe("port-forward");
    expect(run.outputs.reachCommand).toBe("kubectl --context minikube -n todo-chatbot port-forward svc/todo-chatbot-frontend 8080:80");
  });
});
