import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { DEFAULTS, SECRET_KEYS, parseSettings } from "../../stack/config/settings";
import { at, runProgram } from "./harness";

interface ConfigDecl {
  type: string;
  default?: unknown;
  description?: string;
  secret?: boolean;
}
const project = parse(readFileSync(join(__dirname, "..", "..", "Pulumi.yaml"), "utf8")) as {
  name: string;
  config: Record<string, ConfigDecl>;
};

describe("Pulumi.yaml config schema", () => {
  it("declares exactly the keys the program reads, with the program's defaults", () => {
    expect(project.name).toBe("todo-chatbot");
    // the aiops* keys belong to the AIOps component (stack/aiops/settings.ts), which reads them itself
    const programKeys = Object.keys(project.config).filter((key) => !key.startsWith("aiops"));
    expect(programKeys.sort()).toEqual([...Object.keys(DEFAULTS), ...SECRET_KEYS].sort());
    for (const [key, value] of Object.entries(DEFAULTS)) {
      expect(project.config[key]?.default, key).toBe(value);
      expect(project.config[key]?.type, key).toBe(typeof value === "number" ? "integer" : "string");
    }
  });

  it("gives every key a description, and marks the secret keys as secrets to set with --secret", () => {
    for (const [key, decl] of Object.entries(project.config)) expect(decl.description, key).toBeTruthy();
    for (const key of SECRET_KEYS) {
      // optional secrets: Pulumi refuses `secret: true` with a default, so they say so in the description
      expect(project.config[key]?.description, key).toMatch(/^Secret: .*pulumi config set --secret/);
      expect(project.config[key]?.default).toBe("");
    }
  });

  it("keeps Pulumi.dev.yaml free of plaintext secrets", () => {
    const dev = readFileSync(join(__dirname, "..", "..", "Pulumi.dev.yaml"), "utf8");
    for (const key of SECRET_KEYS) expect(dev).not.toMatch(new RegExp(`todo-chatbot:${key}:\\s*[^\\s]`));
  });
});

describe("settings", () => {
  it("apply the defaults on Minikube", () => {
    const s = parseSettings({});
    expect(s).toMatchObject({
      namespace: "todo-chatbot",
      replicas: 1,
      frontendServiceType: "LoadBalancer",
      imagePullPolicy: "Never",
      builder: "buildkit",
      mode: "minikube",
      effectiveKubeContext: "minikube",
    });
  });

  it("pull IfNotPresent and need an explicit context with a registry", () => {
    expect(() => parseSettings({ registry: "ghcr.io/me" })).toThrow(/todo-chatbot:kubeContext is required/);
    const s = parseSettings({ registry: "ghcr.io/me", kubeContext: "kind-kind" });
    expect(s).toMatchObject({ mode: "registry", imagePullPolicy: "IfNotPresent", effectiveKubeContext: "kind-kind" });
    expect(() => parseSettings({ registry: "ghcr.io/me", kubeContext: "k", imagePullPolicy: "Never" })).toThrow(
      /todo-chatbot:imagePullPolicy is Never but todo-chatbot:registry is set/,
    );
  });

  it.each([
    ["replicas", "0", /todo-chatbot:replicas must be a whole number from 1 to 20, got "0"/],
    ["replicas", "two", /todo-chatbot:replicas must be a whole number/],
    ["frontendServiceType", "Ingress", /todo-chatbot:frontendServiceType must be one of LoadBalancer, NodePort, ClusterIP, got "Ingress"/],
    ["builder", "kaniko", /todo-chatbot:builder must be one of buildkit, classic/],
    ["namespace", "Todo_Chatbot", /todo-chatbot:namespace must be a DNS label/],
    ["imagePullPolicy", "Sometimes", /todo-chatbot:imagePullPolicy must be one of auto, Never, IfNotPresent, Always/],
    ["logLevel", "loud", /todo-chatbot:logLevel must be one of/],
    ["rolloutTimeoutSeconds", "5", /todo-chatbot:rolloutTimeoutSeconds must be a whole number from 30/],
  ])("reject %s=%s naming the key", (key, value, message) => {
    expect(() => parseSettings({ [key]: value })).toThrow(message);
  });

  it("report every problem at once", () => {
    expect(() => parseSettings({ replicas: "0", frontendServiceType: "x" })).toThrow(/replicas[\s\S]*frontendServiceType/);
  });
});

describe("the program with config", () => {
  it("fails before creating anything when replicas is 0, naming the key", async () => {
    await expect(runProgram({ config: { replicas: "0" } })).rejects.toThrow(/todo-chatbot:replicas/);
  });

  it("fails on an unknown service type, naming the key", async () => {
    await expect(runProgram({ config: { frontendServiceType: "Ingress" } })).rejects.toThrow(/todo-chatbot:frontendServiceType/);
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
    expect(run.commands[0]).toEqual(["minikube", "-p", "demo", "docker-env", "--shell", "bash"]);
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
