/**
 * The one Pulumi mock harness of the stack's suites (pulumi, aiops). RecordingMocks records every resource
 * registered under `pulumi.runtime.setMocks` with its inputs (secrets still wrapped) and, through
 * `capture`, its dependsOn. runProgram runs the real program (index.ts) on it: it answers `minikube` with
 * canned output instead of shelling out, and awaits every stack export before the tests look at the
 * recorded resources. Components are tested on it directly (new RecordingMocks(), setMocks, settle).
 *
 * It lives here, beside the other support of the root suites, not in packages/testkit: it imports the
 * stack's own sources (index.ts, stack/cluster/minikube-cli.ts), which a workspace package must not.
 */
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { vi } from "vitest";
import type { CommandResult, CommandRunner } from "../../stack/cluster/minikube-cli";

// Each run imports the whole program and its providers' SDKs afresh: on a busy 2-core CI machine that
// takes seconds, so tests that run the program get room (this is not a timed assertion).
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

export interface Recorded {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
  /** provider reference "urn::id", when the resource has one */
  readonly provider: string | undefined;
  readonly custom: boolean;
  /** set for a read (`Resource.get`) */
  readonly id: string | undefined;
  readonly transforms: readonly pulumi.ResourceTransform[];
  /** the resource object and its dependsOn, when it was created with `transformations: [mocks.capture]` */
  readonly resource: pulumi.Resource | undefined;
  readonly dependsOn: readonly pulumi.Resource[];
}

/** The state a mocked resource answers with, from what it was registered with. */
export type MockState = (args: pulumi.runtime.MockResourceArgs) => Record<string, unknown>;

/** Mocks that record every registered resource (see {@link Recorded}). */
export class RecordingMocks implements pulumi.runtime.Mocks {
  readonly resources: Recorded[] = [];
  private readonly captured = new Map<string, { resource: pulumi.Resource; dependsOn: pulumi.Resource[] }>();

  private readonly state: MockState;

  constructor(state: MockState = (args) => args.inputs as Record<string, unknown>) {
    this.state = state;
  }

  newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
    const seen = this.captured.get(args.name);
    this.resources.push({
      type: args.type,
      name: args.name,
      inputs: args.inputs as Record<string, unknown>,
      provider: args.provider,
      custom: args.custom ?? true,
      id: args.id,
      transforms: args.transforms ?? [],
      resource: seen?.resource,
      dependsOn: seen?.dependsOn ?? [],
    });
    return { id: args.id ?? `${args.name}-id`, state: this.state(args) };
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    return args.inputs as Record<string, unknown>;
  }

  /** A (legacy, client-side) transformation that sees each resource's options, including dependsOn. */
  readonly capture: pulumi.ResourceTransformation = (args) => {
    const deps = args.opts.dependsOn;
    const list = deps === undefined ? [] : Array.isArray(deps) ? deps : [deps];
    this.captured.set(args.name, { resource: args.resource, dependsOn: list as pulumi.Resource[] });
    return undefined;
  };

  byType(type: string): Recorded[] {
    return this.resources.filter((r) => r.type === type);
  }

  /** The one resource of this type (and name); throws, listing what was registered, unless exactly one matches. */
  one(type: string, name?: string): Recorded {
    const found = this.byType(type).filter((r) => name === undefined || r.name === name);
    if (found.length !== 1) {
      const all = this.resources.map((r) => `${r.type} ${r.name}`).join(", ");
      throw new Error(`expected one ${type}${name ? ` named ${name}` : ""}, found ${found.length}; registered: ${all}`);
    }
    return found[0] as Recorded;
  }
}

/** Waits until the number of registered resources has stopped changing (for components outside a program run). */
export async function settle(mocks: RecordingMocks): Promise<void> {
  let last = -1;
  let stable = 0;
  while (stable < 5) {
    await new Promise((r) => setTimeout(r, 10));
    if (mocks.resources.length === last) stable += 1;
    else {
      stable = 0;
      last = mocks.resources.length;
    }
  }
}

/** The key the Pulumi wire format uses to tag a secret value ({ [SIG]: SECRET_SIG, value }). */
export const SIG = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export function isSecretWrapper(value: unknown): value is { value: unknown } {
  return typeof value === "object" && value !== null && (value as Record<string, unknown>)[SIG] === SECRET_SIG;
}

export const MINIKUBE_IP = "192.168.49.2";
export const DOCKER_ENV = [
  'export DOCKER_TLS_VERIFY="1"',
  `export DOCKER_HOST="tcp://${MINIKUBE_IP}:2376"`,
  'export DOCKER_CERT_PATH="/home/dev/.minikube/certs"',
  'export MINIKUBE_ACTIVE_DOCKERD="minikube"',
  "",
  "# To point your shell to minikube's docker-daemon, run:",
  "# eval $(minikube -p minikube docker-env)",
].join("\n");

export interface ServiceState {
  readonly type: string;
  readonly nodePort?: number;
  readonly ingressIp?: string;
}

export interface RunOptions {
  /** `todo-chatbot:` keys without the prefix -> value */
  readonly config?: Record<string, string>;
  /** keys (without prefix) stored encrypted */
  readonly secretKeys?: readonly string[];
  /** what the live frontend Service looks like when the program reads it */
  readonly service?: ServiceState;
  /** replaces the canned `minikube` runner */
  readonly runner?: CommandRunner;
  readonly preview?: boolean;
}

export interface ProgramRun extends Pick<RecordingMocks, "resources" | "byType" | "one"> {
  readonly outputs: Record<string, unknown>;
  readonly commands: string[][];
}

export const ok = (stdout: string): CommandResult => ({ status: 0, stdout, stderr: "", missing: false });

/** A `minikube` that is installed and running (profile-independent). */
export const runningMinikube: CommandRunner = (_file, args) => {
  if (args.includes("docker-env")) return ok(DOCKER_ENV);
  if (args.includes("ip")) return ok(`${MINIKUBE_IP}\n`);
  return { status: 1, stdout: "", stderr: `unexpected minikube ${args.join(" ")}`, missing: false };
};

function mockState(args: pulumi.runtime.MockResourceArgs, service: ServiceState): Record<string, unknown> {
  switch (args.type) {
    case "random:index/randomPassword:RandomPassword":
      return { ...args.inputs, result: `Gen${args.name.replace(/[^A-Za-z0-9]/g, "")}Pw9x` };
    case "docker:index/image:Image":
      return { ...args.inputs, repoDigest: "sha256:0123", baseImageName: args.inputs.imageName };
    case "kubernetes:core/v1:Service":
      return {
        ...args.inputs,
        metadata: { name: "todo-chatbot-frontend" },
        spec: {
          type: service.type,
          ports: [{ name: "http", port: 80, targetPort: "http", ...(service.nodePort ? { nodePort: service.nodePort } : {}) }],
        },
        status: { loadBalancer: service.ingressIp ? { ingress: [{ ip: service.ingressIp }] } : {} },
      };
    case "kubernetes:helm.sh/v4:Chart":
      return { ...args.inputs, resources: [] };
    default:
      return args.inputs;
  }
}

/** Imports index.ts afresh under mocks with the given config and returns what it registered. */
export async function runProgram(options: RunOptions = {}): Promise<ProgramRun> {
  vi.resetModules();
  const service = options.service ?? { type: "LoadBalancer", nodePort: 31080 };
  const mocks = new RecordingMocks((args) => mockState(args, service));
  await pulumi.runtime.setMocks(mocks, "todo-chatbot", "dev", options.preview ?? false);
  // setMocks says it supports resource hooks, but @pulumi/pulumi 3.276's MockMonitor has no registerResourceHook:
  // without one, registering a hook (stack/cluster/adoption-guard.ts) never settles. The mock engine runs no hooks.
  const monitor = MockMonitor.prototype as unknown as Record<string, unknown>;
  monitor.registerResourceHook ??= (_req: unknown, callback: (error: null, response: object) => void) => callback(null, {});
  const config = Object.fromEntries(Object.entries(options.config ?? {}).map(([k, v]) => [`todo-chatbot:${k}`, v]));
  pulumi.runtime.setAllConfig(config, (options.secretKeys ?? []).map((k) => `todo-chatbot:${k}`));

  const commands: string[][] = [];
  const cli = await import("../../stack/cluster/minikube-cli.js");
  const inner = options.runner ?? runningMinikube;
  cli.setCommandRunner((file, args) => {
    commands.push([file, ...args]);
    return inner(file, args);
  });

  const program: Record<string, unknown> = await import("../../index.js");
  const outputs: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(program)) {
    outputs[key] = pulumi.Output.isInstance(value) ? await outputValue(value) : value;
  }
  // wait for every registration, also those no export depends on (as the engine does before it ends a run)
  await pulumi.runtime.disconnect();
  return {
    resources: mocks.resources,
    outputs,
    commands,
    byType: (type) => mocks.byType(type),
    one: (type, name) => mocks.one(type, name),
  };
}

/** The value of an Output (undefined when unknown, as in a preview). */
export function outputValue<T>(output: pulumi.Output<T>): Promise<T | undefined> {
  return new Promise((resolve) => {
    let settled = false;
    output.apply((value) => {
      settled = true;
      resolve(value);
      return value;
    });
    // an unknown output never runs its apply: resolve once its known-ness is settled
    void (output as unknown as { isKnown: Promise<boolean> }).isKnown.then((known) => {
      if (!known && !settled) resolve(undefined);
    });
  });
}

/** Every string anywhere in a value that is NOT inside a secret wrapper. */
export function plainStrings(value: unknown, out: string[] = []): string[] {
  if (isSecretWrapper(value)) return out;
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const item of value) plainStrings(item, out);
  else if (typeof value === "object" && value !== null) for (const item of Object.values(value)) plainStrings(item, out);
  return out;
}

/** Looks up a nested property by path ("metadata.labels"). */
export function at(value: unknown, path: string): unknown {
  let current: unknown = value;
  for (const part of path.split(".")) {
    if (isSecretWrapper(current)) current = current.value;
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return isSecretWrapper(current) ? current.value : current;
}

/**
 * Runs the chart's transform on a rendered backend Deployment (as helm.v4.Chart would) and returns the
 * Pod-template annotations it ends up with, Outputs resolved.
 */
export async function backendPodAnnotations(run: ProgramRun): Promise<Record<string, unknown>> {
  const chart = run.one("kubernetes:helm.sh/v4:Chart");
  const transform = chart.transforms[0];
  if (!transform) throw new Error("the chart has no transform");
  const result = await transform({
    custom: true,
    type: "kubernetes:apps/v1:Deployment",
    name: "todo-chatbot-backend",
    props: { metadata: { name: "todo-chatbot-backend" }, spec: { template: { metadata: { labels: { a: "b" } } } } },
    opts: {},
  });
  const annotations = (at(result?.props, "spec.template.metadata.annotations") ?? {}) as Record<string, unknown>;
  const resolved: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(annotations)) {
    resolved[key] = pulumi.Output.isInstance(value) ? await outputValue(value) : value;
  }
  return resolved;
}
