/**
 * Minikube as it really behaves (issue 17): what a real user would hit, proven with the real program
 * (index.ts under mocks, `minikube` answered as v1.38.1 answers) and, where it matters, real daemons.
 */
import type { ResourceHook } from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { suiteGate, takeTurnsOnHost } from "@todo/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { refuseToAdoptNamespace } from "../../stack/cluster/adoption-guard";
import { setCommandRunner, type CommandRunner } from "../../stack/cluster/minikube-cli";
import { dockerdMissing, machine, type Machine } from "./daemons";
import { at, ok, runProgram, type ProgramRun } from "../support/pulumi-mocks";

const IMAGE = "docker:index/image:Image";

/**
 * The `replacementTrigger` each resource is registered with, as the engine receives it (the mock
 * monitor's newResource() does not pass it on, so the request itself is read).
 */
const triggers = new Map<string, unknown>();
/** the beforeCreate hooks each resource is registered with, by name */
const hooks = new Map<string, string[]>();
type RegisterRequest = {
  getType(): string;
  getName(): string;
  getReplacementTrigger(): { toJavaScript(): unknown } | undefined;
  getHooks(): { getBeforeCreateList(): string[] } | undefined;
};
const monitorPrototype = MockMonitor.prototype as unknown as { registerResource(req: RegisterRequest, cb: unknown): Promise<void> };
const originalRegister = monitorPrototype.registerResource;
monitorPrototype.registerResource = function (this: unknown, req: RegisterRequest, cb: unknown) {
  triggers.set(`${req.getType()} ${req.getName()}`, req.getReplacementTrigger()?.toJavaScript());
  hooks.set(`${req.getType()} ${req.getName()}`, req.getHooks()?.getBeforeCreateList() ?? []);
  return originalRegister.call(this, req, cb);
};
afterAll(() => {
  monitorPrototype.registerResource = originalRegister;
});

/** `minikube profile list -o json --light` of v1.38.1 (printProfilesJSON; Config trimmed to what the stack reads). */
function profileList(...profiles: { name: string; driver?: string; runtime?: string }[]): string {
  return JSON.stringify({
    invalid: [],
    valid: profiles.map((p) => ({
      Name: p.name,
      Status: "",
      Config: { Name: p.name, Driver: p.driver ?? "docker", KubernetesConfig: { KubernetesVersion: "v1.34.0", ClusterName: p.name, ContainerRuntime: p.runtime ?? "docker" } },
      Active: false,
      ActiveKubeContext: true,
    })),
  });
}

/** A `minikube` (v1.38.1) whose profile runs the docker runtime on a daemon at dockerHost. */
function minikubeOn(dockerHost: string): CommandRunner {
  return (_file, args) => {
    if (args[0] === "profile") return ok(profileList({ name: "minikube" }));
    if (args.includes("docker-env")) return ok(`export DOCKER_HOST="${dockerHost}"\nexport MINIKUBE_ACTIVE_DOCKERD="minikube"\n`);
    if (args.includes("ip")) return ok("192.168.49.2\n");
    return { status: 1, stdout: "", stderr: `unexpected minikube ${args.join(" ")}`, missing: false };
  };
}

async function imageTriggers(runner: CommandRunner): Promise<{ run: ProgramRun; backend: unknown; frontend: unknown }> {
  triggers.clear();
  const run = await runProgram({ runner });
  return { run, backend: triggers.get(`${IMAGE} backend`), frontend: triggers.get(`${IMAGE} frontend`) };
}

const dockerd = suiteGate("pulumi (real dockerd)", dockerdMissing());

describe.skipIf(!dockerd.ok)("item 1: the images follow Minikube's Docker daemon", () => {
  takeTurnsOnHost(); // one suite at a time changes the host (packages/testkit/src/machine-lock.ts)
  const machines: Machine[] = [];
  afterAll(async () => {
    for (const m of machines) await m.remove();
  });

  it("rebuilds them after `minikube delete` + `start` (a new daemon), not after `minikube stop` + `start`", async () => {
    const first = machine();
    machines.push(first);
    await first.start();
    const before = await imageTriggers(minikubeOn(first.dockerHost));
    expect(before.backend).toMatch(/^docker:[A-Z0-9:-]+$/);
    expect(before.frontend).toBe(before.backend);

    // minikube stop + start: the same machine, its images still there -> the same trigger, no rebuild
    await first.stop();
    await first.start();
    expect((await imageTriggers(minikubeOn(first.dockerHost))).backend).toBe(before.backend);

    // minikube delete + start (or another profile): a new machine -> a new trigger, the engine replaces (rebuilds) both images
    await first.remove();
    const second = machine();
    machines.push(second);
    await second.start();
    const after = await imageTriggers(minikubeOn(second.dockerHost));
    expect(after.backend).toMatch(/^docker:/);
    expect(after.backend).not.toBe(before.backend);
    expect(after.frontend).toBe(after.backend);
  }, 180_000);
});

describe("item 1 without a readable daemon", () => {
  it("ties nothing (no spurious rebuild) and warns how to force a rebuild", async () => {
    const { backend } = await imageTriggers(minikubeOn("unix:///nonexistent/docker.sock"));
    expect(backend).toBeNull();
  });

  it("leaves pushed images (registry mode) untied: the cluster pulls them from the registry", async () => {
    triggers.clear();
    await runProgram({ config: { registry: "registry.example.com/team", kubeContext: "kind-kind" } });
    expect(triggers.get(`${IMAGE} backend`)).toBeNull();
  });
});

describe("item 6: rolloutTimeoutSeconds bounds every object Pulumi waits for", () => {
  async function annotationsAfterTransform(run: ProgramRun, type: string, spec: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const transform = run.one("kubernetes:helm.sh/v4:Chart").transforms[0];
    if (!transform) throw new Error("the chart has no transform");
    const result = await transform({ custom: true, type, name: "x", props: { metadata: { name: "x" }, spec }, opts: {} });
    return (at(result?.props, "metadata.annotations") ?? {}) as Record<string, unknown>;
  }

  it("a Service waiting for endpoints fails after rolloutTimeoutSeconds, not the provider's 10 minutes", async () => {
    const run = await runProgram({ config: { rolloutTimeoutSeconds: "120" } });
    for (const [type, spec] of [
      ["kubernetes:core/v1:Service", { type: "ClusterIP" }],
      ["kubernetes:core/v1:Service", { type: "NodePort" }],
      ["kubernetes:apps/v1:Deployment", {}],
      ["kubernetes:apps/v1:StatefulSet", {}],
      ["kubernetes:core/v1:PersistentVolumeClaim", {}],
      ["kubernetes:networking.k8s.io/v1:Ingress", {}],
    ] as const) {
      expect(await annotationsAfterTransform(run, type, spec), `${type} ${JSON.stringify(spec)}`).toMatchObject({ "pulumi.com/timeoutSeconds": "120" });
    }
    expect(await annotationsAfterTransform(run, "kubernetes:core/v1:Service", { type: "LoadBalancer" })).toMatchObject({
      "pulumi.com/timeoutSeconds": "120",
      "pulumi.com/skipAwait": "true",
    });
    // objects the provider does not wait for get no timeout
    expect(await annotationsAfterTransform(run, "kubernetes:core/v1:ConfigMap")).not.toHaveProperty(["pulumi.com/timeoutSeconds"]);
  });
});

describe("item 8: after an approved kagent write (e.g. a scale) the next pulumi up still applies", () => {
  it("every chart object is applied with pulumi.com/patchForce: the stack's values win the server-side-apply conflict", async () => {
    const run = await runProgram({ config: { aiops: "true", aiopsWriteTools: "true", aiopsProvider: "ollama" } });
    const transform = run.one("kubernetes:helm.sh/v4:Chart").transforms[0];
    if (!transform) throw new Error("the chart has no transform");
    for (const type of ["kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:StatefulSet", "kubernetes:core/v1:Service", "kubernetes:core/v1:ConfigMap", "kubernetes:networking.k8s.io/v1:NetworkPolicy"]) {
      const result = await transform({ custom: true, type, name: "x", props: { metadata: { name: "x", annotations: { keep: "me" } } }, opts: {} });
      expect(at(result?.props, "metadata.annotations"), type).toMatchObject({ keep: "me", "pulumi.com/patchForce": "true" });
    }
  });
});

describe("item 5: a profile that does not run the docker runtime is refused in one line", () => {
  it("containerd (docker-env succeeds there since minikube 1.31, with an ssh:// host)", async () => {
    const commands: string[] = [];
    const run = runProgram({
      runner: (_file, args) => {
        commands.push(args.join(" "));
        if (args[0] === "profile") return ok(profileList({ name: "other" }, { name: "minikube", runtime: "containerd" }));
        if (args.includes("docker-env")) return ok('export DOCKER_HOST="ssh://docker@127.0.0.1:32772"\nexport SSH_AUTH_SOCK="/tmp/ssh-x/agent.1"\nexport SSH_AGENT_PID="4242"\n');
        return ok("192.168.49.2\n");
      },
    });
    await expect(run).rejects.toThrow(
      /^Minikube profile "minikube" runs the containerd container runtime, .*`minikube delete -p minikube && minikube start -p minikube --container-runtime=docker`/,
    );
    expect(commands).toEqual(["profile list -o json --light"]);
  });

  it("cri-o (docker-env exits 14 there)", async () => {
    const run = runProgram({
      config: { minikubeProfile: "crio" },
      runner: (_file, args) => {
        if (args[0] === "profile") return ok(profileList({ name: "crio", driver: "kvm2", runtime: "cri-o" }));
        return { status: 14, stdout: "", stderr: "X Exiting due to MK_USAGE: The docker-env command only supports the docker and containerd runtimes", missing: false };
      },
    });
    await expect(run).rejects.toThrow(/^Minikube profile "crio" runs the cri-o container runtime, .*--container-runtime=docker/);
  });

  it("a docker-runtime profile goes on to docker-env", async () => {
    const run = await runProgram({ runner: minikubeOn("tcp://192.168.49.2:2376") });
    expect(run.commands.map((c) => c.slice(1).join(" "))).toEqual(["profile list -o json --light", "-p minikube docker-env --shell bash"]);
  });
});

describe("item 3: on the docker driver with a loopback docker-env host no unreachable URL is printed", () => {
  const macOs = (_file: string, args: readonly string[]): ReturnType<CommandRunner> => {
    if (args[0] === "profile") return ok(profileList({ name: "minikube" }));
    if (args.includes("docker-env")) return ok('export DOCKER_TLS_VERIFY="1"\nexport DOCKER_HOST="tcp://127.0.0.1:55001"\nexport DOCKER_CERT_PATH="/Users/dev/.minikube/certs"\n');
    return ok("192.168.49.2\n");
  };

  it("a pending LoadBalancer says to run the tunnel, or minikube service --url in a terminal kept open", async () => {
    const run = await runProgram({ runner: macOs, service: { type: "LoadBalancer", nodePort: 31080 } });
    expect(run.outputs.frontendUrl).toBe("");
    expect(run.outputs.frontendUrlKind).toBe("minikube-service");
    const command = String(run.outputs.reachCommand);
    expect(command).toMatch(/^minikube -p minikube tunnel {2}# keep it running/);
    expect(command).toContain("minikube -p minikube service -n todo-chatbot todo-chatbot-frontend --url  # keep this terminal open");
    expect(command).not.toContain("192.168.49.2");
  });

  it("once the tunnel has given the LoadBalancer 127.0.0.1, that is the URL", async () => {
    const run = await runProgram({ runner: macOs, service: { type: "LoadBalancer", nodePort: 31080, ingressIp: "127.0.0.1" } });
    expect(run.outputs).toMatchObject({ frontendUrl: "http://127.0.0.1", frontendUrlKind: "LoadBalancer" });
  });

  it("on Linux (docker-env on the node's address) the NodePort URL stays", async () => {
    const run = await runProgram({ runner: minikubeOn("tcp://192.168.49.2:2376"), config: { frontendServiceType: "NodePort" }, service: { type: "NodePort", nodePort: 30001 } });
    expect(run.outputs).toMatchObject({ frontendUrl: "http://192.168.49.2:30001", frontendUrlKind: "NodePort" });
  });
});

describe("item 4: an exported KUBECONFIG never reaches the Kubernetes provider's kubeconfig", () => {
  const saved = process.env.KUBECONFIG;
  afterAll(() => {
    if (saved === undefined) delete process.env.KUBECONFIG;
    else process.env.KUBECONFIG = saved;
  });
  const K8S_PROVIDER = "pulumi:providers:kubernetes";

  // 4.25.0's CheckConfig refuses a non-empty kubeconfig next to renderYamlToDirectory, and its Configure reads a
  // multi-path value as YAML (the cluster is then "unreachable"); "" makes it load the kubeconfig as kubectl does
  it.each([
    ["a single file", "/home/dev/.kube/config"],
    ["several files", "/home/dev/.kube/config:/home/dev/.kube/work.yaml"],
  ])("render mode with %s in KUBECONFIG", async (_what, value) => {
    process.env.KUBECONFIG = value;
    const run = await runProgram({ config: { renderYamlToDirectory: "/tmp/rendered", dockerHost: "unix:///nonexistent.sock", nodeAddress: "127.0.0.1" } });
    const inputs = run.one(K8S_PROVIDER).inputs;
    expect(inputs.kubeconfig).toBe("");
    expect(inputs.renderYamlToDirectory).toBe("/tmp/rendered");
    expect(inputs.context).toBeUndefined();
  });

  it("live mode with several files in KUBECONFIG: still pinned to the profile's context", async () => {
    process.env.KUBECONFIG = "/home/dev/.kube/config:/home/dev/.kube/work.yaml";
    const run = await runProgram({ runner: minikubeOn("tcp://192.168.49.2:2376") });
    expect(run.one(K8S_PROVIDER).inputs).toMatchObject({ kubeconfig: "", context: "minikube" });
  });
});

describe("docker-env without a TTY: silent, only an exit code (minikube v1.38.1 reason/exitcodes.go)", () => {
  const silent = (status: number): CommandRunner => (_file, args) =>
    args[0] === "profile" ? { status: 85, stdout: '{"invalid":[],"valid":[]}', stderr: "", missing: false } : { status, stdout: "", stderr: "", missing: false };

  it.each([
    [83, /^Minikube profile "demo" is not running\. Start it with: minikube start -p demo\n/],
    [103, /^Minikube profile "demo" is not running\. Start it with: minikube start -p demo\n/],
    [85, /^Minikube profile "demo" does not exist\. Create it with: minikube start -p demo --container-runtime=docker/],
    [105, /^Minikube profile "demo" has no control-plane node\. Recreate it with: minikube delete -p demo && minikube start -p demo --container-runtime=docker/],
  ])("exit %i says what to do", async (status, message) => {
    await expect(runProgram({ config: { minikubeProfile: "demo" }, runner: silent(status) })).rejects.toThrow(message);
  });
});

describe("a changed Secret or ConfigMap is updated, not deleted and re-created", () => {
  it("the Kubernetes provider treats both as mutable (the checksum annotations roll the Pods)", async () => {
    const run = await runProgram({ runner: minikubeOn("tcp://192.168.49.2:2376") });
    expect(run.one("pulumi:providers:kubernetes").inputs).toMatchObject({ enableSecretMutable: "true", enableConfigMapMutable: "true" }) // provider inputs travel as strings;
  });
});

describe("aiops with renderYamlToDirectory", () => {
  it("is refused up front, naming both keys (kagent's helm.v3.Release needs a live cluster)", async () => {
    const run = runProgram({
      config: { aiops: "true", openaiApiKey: "fake-test-only-openai-key-000000000000", renderYamlToDirectory: "/tmp/rendered", dockerHost: "unix:///nonexistent.sock", nodeAddress: "127.0.0.1" },
      secretKeys: ["openaiApiKey"],
    });
    await expect(run).rejects.toThrow(/todo-chatbot:aiops is true while todo-chatbot:renderYamlToDirectory is set: .*pulumi config set aiops false, or pulumi config rm renderYamlToDirectory\.$/m);
  });
});

describe("item 7: images are built for the cluster's platform, not the laptop's", () => {
  const build = (run: ProgramRun): Record<string, unknown> => (run.byType(IMAGE).find((r) => r.name === "backend")?.inputs.build ?? {}) as Record<string, unknown>;
  const registry = { registry: "registry.example.com/team", kubeContext: "kind-kind" };

  it("with a registry the default is linux/amd64 (the provider's default is the architecture of the machine running Pulumi)", async () => {
    const run = await runProgram({ config: registry });
    expect(build(run).platform).toBe("linux/amd64");
  });

  it("buildPlatform sets it, and the tag follows it (an arm64 image never shares an amd64 tag)", async () => {
    const amd = await runProgram({ config: registry });
    const arm = await runProgram({ config: { ...registry, buildPlatform: "linux/arm64" } });
    expect(build(arm).platform).toBe("linux/arm64");
    expect(arm.outputs.backendImage).not.toBe(amd.outputs.backendImage);
  });

  it("on Minikube the node's daemon builds for itself: no platform, the tags as before", async () => {
    const run = await runProgram({ runner: minikubeOn("tcp://192.168.49.2:2376") });
    expect(build(run)).not.toHaveProperty("platform");
  });

  it("a malformed platform is refused, naming the key", async () => {
    await expect(runProgram({ config: { ...registry, buildPlatform: "arm64" } })).rejects.toThrow(/todo-chatbot:buildPlatform must be an os\/arch platform such as linux\/amd64/);
  });
});

describe("item 9: an existing namespace is not adopted", () => {
  const namespaceHooks = (): string[] => hooks.get("kubernetes:core/v1:Namespace namespace") ?? [];

  it("the release namespace is created through a beforeCreate hook that asks the cluster first", async () => {
    await runProgram({ runner: minikubeOn("tcp://192.168.49.2:2376") });
    expect(namespaceHooks()).toEqual(["refuse-existing-app-namespace"]);
  });

  it("render mode asks no cluster", async () => {
    await runProgram({ config: { renderYamlToDirectory: "/tmp/rendered", dockerHost: "unix:///nonexistent.sock", nodeAddress: "127.0.0.1" } });
    expect(namespaceHooks()).toEqual([]);
  });

  describe("the hook", () => {
    const target = { kubeContext: "minikube", minikubeProfile: "minikube" };
    const call = (hook: ResourceHook): Promise<void> | void =>
      hook.callback({ urn: "urn:x", id: "", name: "namespace", type: "kubernetes:core/v1:Namespace", newInputs: { metadata: { name: "todo-chatbot" } } });
    let previous: CommandRunner | undefined;
    afterAll(() => {
      if (previous) setCommandRunner(previous);
    });
    const answer = (fn: CommandRunner): void => {
      const old = setCommandRunner(fn);
      previous ??= old;
    };

    it("refuses a namespace kubectl finds (e.g. made by the chart README's helm install), saying what to do", async () => {
      const asked: string[] = [];
      answer((file, args) => {
        asked.push(`${file} ${args.join(" ")}`);
        return ok("namespace/todo-chatbot\n");
      });
      const hook = refuseToAdoptNamespace("t1", target, "Use another namespace (pulumi config set namespace todo-chatbot-2).");
      await expect(async () => call(hook)).rejects.toThrow(
        'namespace "todo-chatbot" already exists in kube context "minikube" and this stack did not create it: the stack would take it over and delete it, with everything in it, on pulumi destroy. Use another namespace',
      );
      expect(asked).toEqual(["kubectl --context minikube get namespace todo-chatbot --ignore-not-found -o name"]);
    });

    it("creates it when the cluster has none; asks minikube kubectl when there is no kubectl", async () => {
      const asked: string[] = [];
      answer((file, args) => {
        asked.push(`${file} ${args.join(" ")}`);
        return file === "kubectl" ? { status: null, stdout: "", stderr: "", missing: true } : ok("");
      });
      await call(refuseToAdoptNamespace("t2", target, "hint"));
      expect(asked).toEqual([
        "kubectl --context minikube get namespace todo-chatbot --ignore-not-found -o name",
        "minikube -p minikube kubectl -- --context minikube get namespace todo-chatbot --ignore-not-found -o name",
      ]);
    });
  });
});

describe("item 9: a user's own kagent namespace is not adopted either", () => {
  it("with aiops on, the kagent Namespace carries the refusing hook", async () => {
    await runProgram({ runner: minikubeOn("tcp://192.168.49.2:2376"), config: { aiops: "true", aiopsProvider: "ollama" } });
    expect(hooks.get("kubernetes:core/v1:Namespace aiops-ns")).toEqual(["refuse-existing-kagent-namespace"]);
  });
});
