/**
 * THE table of the stack's config keys (`todo-chatbot:<key>`): each key's type, default, whether it is a
 * secret, its description and its validation, written once. `npm run docs:config` generates Pulumi.yaml's
 * `config:` block, the README's "Configure" table and docs/aiops.md's table from it (scripts/config-table.ts);
 * tests fail when one of them differs. settings.ts reads every key through {@link readKey} (the one place a
 * value is checked against its row) and adds only the rules that relate two keys.
 *
 * Pure data and functions: no Pulumi runtime.
 */
import { DEFAULT_OLLAMA_HOST, DEFAULT_OLLAMA_MODEL, DEFAULT_OPENAI_MODEL, KAGENT_VERSION } from "../aiops/constants.ts";

/** The Pulumi project name, which is also the config namespace (`todo-chatbot:replicas`). */
export const PROJECT = "todo-chatbot";

/** A free-form string's required form: a test and the words an error uses for it. */
export interface Form {
  /** what a valid value looks like, e.g. "an http(s) URL such as http://todo.example.com" */
  readonly expected: string;
  readonly test: (value: string) => boolean;
}

interface Common {
  /** one or two sentences for Pulumi.yaml and the README; allowed values and ranges are rendered from the row */
  readonly description: string;
}

export interface StringKey extends Common {
  readonly type: "string";
  readonly default: string;
  /** allowed values (matched case-insensitively; the value becomes the listed spelling) */
  readonly oneOf?: readonly string[];
  /** required form of a non-empty value */
  readonly form?: Form;
  /**
   * A secret: set with `pulumi config set --secret`, read as a secret, refused when stored in plain text.
   * Optional, so it cannot carry Pulumi's `secret: true` (Pulumi refuses a default on a secret key).
   * `example` is the value shown in the set command.
   */
  readonly secret?: { readonly example: string };
}

export interface IntegerKey extends Common {
  readonly type: "integer";
  readonly default: number;
  readonly min: number;
  readonly max: number;
}

export interface BooleanKey extends Common {
  readonly type: "boolean";
  readonly default: boolean;
}

export type KeySpec = StringKey | IntegerKey | BooleanKey;

const httpUrl = (example: string): Form => ({
  expected: `an http(s) URL such as ${example}`,
  test: (value) => /^https?:\/\/[^\s/]+/.test(value),
});

/** A Kubernetes namespace name: a DNS label. */
const DNS_LABEL: Form = {
  expected: 'a DNS label (lower-case letters, digits and "-", at most 63)',
  test: (value) => /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(value),
};

/** repository:tag, as the chart's postgresql.image.repository/tag take it (no digest: the chart writes repo:tag). */
export const IMAGE_REFERENCE: Form = {
  expected: "repository:tag such as mirror.example.com:5000/library/postgres:17.6-bookworm (a digest, @sha256:..., is not supported)",
  test: (value) => splitImageReference(value) !== undefined,
};

/** "host:5000/lib/postgres:17" -> { repository: "host:5000/lib/postgres", tag: "17" }; undefined when it is not repository:tag. */
export function splitImageReference(value: string): { repository: string; tag: string } | undefined {
  const colon = value.lastIndexOf(":");
  if (colon < 0 || value.includes("@")) return undefined;
  const repository = value.slice(0, colon);
  const tag = value.slice(colon + 1);
  // Docker's reference grammar: an optional registry host[:port], then lower-case path components; a tag of
  // at most 128 word characters, dots and dashes, not starting with either.
  const host = String.raw`(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::\d+)?/)?`;
  const component = String.raw`[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*`;
  if (!new RegExp(`^${host}${component}(?:/${component})*$`).test(repository)) return undefined;
  if (!/^\w[\w.-]{0,127}$/.test(tag)) return undefined;
  return { repository, tag };
}

const CHART_VERSION: Form = {
  expected: `a chart version like ${KAGENT_VERSION}`,
  test: (value) => /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(value),
};

/** Every key of the stack, in the order Pulumi.yaml and the README list them. */
export const CONFIG_KEYS = {
  namespace: {
    type: "string",
    default: "todo-chatbot",
    form: DNS_LABEL,
    description: 'Kubernetes namespace of the release; created by the stack with Pod Security "restricted" enforced.',
  },
  minikubeProfile: {
    type: "string",
    default: "minikube",
    description: "Minikube profile whose Docker daemon builds the images (minikube -p PROFILE docker-env) and whose kube context receives the chart.",
  },
  kubeContext: {
    type: "string",
    default: "",
    description: "Kube context the stack is pinned to; empty means the Minikube profile's context. Required with registry.",
  },
  dockerHost: {
    type: "string",
    default: "",
    description: "Docker daemon to build on (e.g. tcp://192.168.49.2:2376 or unix:///run/podman/podman.sock); empty asks minikube docker-env (or uses DOCKER_HOST with registry).",
  },
  dockerCertPath: {
    type: "string",
    default: "",
    description: "TLS certificate directory (ca.pem, cert.pem, key.pem) of dockerHost; empty when it needs none.",
  },
  nodeAddress: {
    type: "string",
    default: "",
    description: "Address the NodePort URL is built on; empty means minikube ip.",
  },
  builder: {
    type: "string",
    default: "buildkit",
    oneOf: ["buildkit", "classic"],
    description: "Image builder (podman's Docker API serves only the classic builder).",
  },
  buildNetwork: {
    type: "string",
    default: "",
    oneOf: ["", "host", "none"],
    description:
      'Network for the RUN steps of the image builds; empty means the Docker daemon\'s default network. Use "host" when the daemon has no bridge network (e.g. a daemon started with --bridge=none), so RUN steps can reach the package registries.',
  },
  buildPlatform: {
    type: "string",
    default: "",
    form: { expected: "an os/arch platform such as linux/amd64 or linux/arm64", test: (value) => /^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/.test(value) },
    description:
      "Platform the images are built for (docker build --platform); empty means the Minikube node's own (its Docker daemon builds them) and linux/amd64 with a registry. Set linux/arm64 for an arm64 cluster (e.g. kind on an Apple Silicon Mac, Graviton nodes).",
  },
  replicas: {
    type: "integer",
    default: 1,
    min: 1,
    max: 20,
    description: "Replicas of the backend and of the frontend.",
  },
  frontendServiceType: {
    type: "string",
    default: "LoadBalancer",
    oneOf: ["LoadBalancer", "NodePort", "ClusterIP"],
    description: "Type of the frontend Service. A LoadBalancer is never waited for.",
  },
  imagePullPolicy: {
    type: "string",
    default: "auto",
    oneOf: ["auto", "Never", "IfNotPresent", "Always"],
    description: "Pull policy of the two app images; auto means Never on Minikube and IfNotPresent with registry.",
  },
  rolloutTimeoutSeconds: {
    type: "integer",
    default: 300,
    min: 30,
    max: 3600,
    description: "Seconds each object Pulumi waits for (workloads, Services) may take to become ready before pulumi up fails with its status.",
  },
  publicUrl: {
    type: "string",
    default: "",
    form: httpUrl("http://todo.example.com"),
    description: "URL users reach the app at (PUBLIC_URL); empty trusts the origin of the forwarded host.",
  },
  openaiModel: {
    type: "string",
    default: "gpt-4o-mini",
    description: "Chat model used when an OpenAI API key is set (OPENAI_MODEL).",
  },
  openaiBaseUrl: {
    type: "string",
    default: "",
    form: httpUrl("http://host.minikube.internal:11434/v1"),
    description: "Base URL of an OpenAI-compatible API (OPENAI_BASE_URL); empty means OpenAI.",
  },
  openaiApiKey: {
    type: "string",
    default: "",
    secret: { example: "sk-..." },
    description: "OpenAI API key (OPENAI_API_KEY); empty keeps the built-in offline assistant.",
  },
  databaseUrl: {
    type: "string",
    default: "",
    secret: { example: "postgres://..." },
    description: "URL of an external PostgreSQL such as Neon; when set, the in-cluster PostgreSQL is off.",
  },
  postgresqlImage: {
    type: "string",
    default: "",
    form: IMAGE_REFERENCE,
    description:
      "Image of the in-cluster PostgreSQL as repository:tag (a mirror, or a registry in an air-gapped network); sets the chart's postgresql.image.repository and tag. Empty means the chart's default image.",
  },
  logLevel: {
    type: "string",
    default: "info",
    oneOf: ["fatal", "error", "warn", "info", "debug", "trace"],
    description: "Backend log level (LOG_LEVEL).",
  },
  chatRateLimitPerMinute: {
    type: "integer",
    default: 20,
    min: 1,
    max: 10000,
    description: "Chat requests allowed per user per minute, counted by each backend replica (in memory).",
  },
  registry: {
    type: "string",
    default: "",
    description:
      "Registry to push the images to (e.g. ghcr.io/you); empty builds into Minikube without pushing. When set, images are pulled IfNotPresent and kubeContext may name any cluster.",
  },
  registryUsername: {
    type: "string",
    default: "",
    description: "User name for registry.",
  },
  registryPassword: {
    type: "string",
    default: "",
    secret: { example: "..." },
    description: "Password or token for registry.",
  },
  nodeImage: {
    type: "string",
    default: "",
    description:
      "Base image for both Dockerfiles (build arg NODE_IMAGE), e.g. a mirror or an offline copy; empty uses the Dockerfiles' default (node:24-bookworm-slim).",
  },
  renderYamlToDirectory: {
    type: "string",
    default: "",
    description:
      "Render every Kubernetes object as YAML into this directory instead of applying it to a cluster (reviews, CI without a cluster); then the URL is not read from a live Service.",
  },
  aiops: {
    type: "boolean",
    default: false,
    description: `Install kagent ${KAGENT_VERSION} in namespace kagent and the todo-chatbot-ops Agent, an AI operations assistant for this deployment (docs/aiops.md).`,
  },
  aiopsWriteTools: {
    type: "boolean",
    default: false,
    description:
      "Give the agent write tools (apply, patch, delete, rollout, scale), each call needing a human's approval; false keeps it read-only. An approved change lasts until the next pulumi up that touches the object: the stack's values win (pulumi.com/patchForce).",
  },
  aiopsSampleAgents: {
    type: "boolean",
    default: false,
    description: "Keep kagent's built-in sample agents (k8s-agent, helm-agent, ...).",
  },
  aiopsProvider: {
    type: "string",
    default: "openai",
    oneOf: ["openai", "ollama"],
    description: "Model provider of the agent: openai needs the secret openaiApiKey (also for any OpenAI-compatible endpoint); ollama needs no key.",
  },
  aiopsModel: {
    type: "string",
    default: "",
    description: `Model of the agent; empty means ${DEFAULT_OPENAI_MODEL} (OpenAI), ${DEFAULT_OLLAMA_MODEL} (Ollama), or openaiModel when an OpenAI-compatible endpoint is set.`,
  },
  aiopsOpenaiBaseUrl: {
    type: "string",
    default: "",
    form: httpUrl("http://vllm.local/v1"),
    description: "OpenAI-compatible base URL for the agent; empty means openaiBaseUrl, and then OpenAI.",
  },
  aiopsOllamaHost: {
    type: "string",
    default: "",
    form: httpUrl(DEFAULT_OLLAMA_HOST),
    description: `Ollama URL as seen from inside the cluster; empty means ${DEFAULT_OLLAMA_HOST}.`,
  },
  aiopsKagentVersion: {
    type: "string",
    default: KAGENT_VERSION,
    form: CHART_VERSION,
    description: "Version of the kagent-crds and kagent Helm charts (kagent's v1alpha2 API; do not follow kagent's main branch).",
  },
} as const satisfies Record<string, KeySpec>;

export type Keys = typeof CONFIG_KEYS;
export type ConfigKey = keyof Keys;

/** The keys marked secret (their values are never validated in messages, exported or put in Helm values). */
export type SecretKey = { [K in ConfigKey]: Keys[K] extends { readonly secret: object } ? K : never }[ConfigKey];
export type PlainKey = Exclude<ConfigKey, SecretKey>;

/** The typed value of a row: its allowed values' union, number, boolean or string. */
export type ValueOf<S> = S extends { readonly oneOf: readonly (infer U)[] }
  ? U
  : S extends { readonly type: "integer" }
    ? number
    : S extends { readonly type: "boolean" }
      ? boolean
      : string;

/** Every plain key's value, as typed by its row. */
export type ConfigValues = { readonly [K in PlainKey]: ValueOf<Keys[K]> };

export const CONFIG_KEY_NAMES = Object.keys(CONFIG_KEYS) as ConfigKey[];

export function isSecretKey(key: ConfigKey): key is SecretKey {
  return "secret" in CONFIG_KEYS[key];
}

export const SECRET_KEYS = CONFIG_KEY_NAMES.filter(isSecretKey);
export const PLAIN_KEYS = CONFIG_KEY_NAMES.filter((key): key is PlainKey => !isSecretKey(key));

/** `todo-chatbot:replicas` */
export function fullKey(key: ConfigKey): string {
  return `${PROJECT}:${key}`;
}

/** The allowed values or range of a row, in words ("" when any string goes). */
export function allowedText(spec: KeySpec): string {
  if (spec.type === "integer") return `${spec.min} to ${spec.max}`;
  if (spec.type === "boolean") return "true, false";
  if (spec.oneOf) return spec.oneOf.map((value) => (value === "" ? '""' : value)).join(", ");
  return spec.form ? spec.form.expected : "";
}

/**
 * Every problem of a configuration, each naming its key and saying what to do. The one way errors are
 * written: `problems.add(key, "what is wrong", "what to do")`.
 */
export class Problems {
  readonly list: string[] = [];

  add(key: ConfigKey, wrong: string, fix: string): void {
    const line = `${fullKey(key)} ${wrong}: ${fix}`;
    if (!this.list.includes(line)) this.list.push(line);
  }
}

/** A config error that lists every offending key and what to do about each. */
export class ConfigError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`invalid stack configuration:\n  - ${problems.join("\n  - ")}`);
    this.name = "ConfigError";
    this.problems = problems;
  }
}

/** The fix for a plain value that fails its row: set an allowed value or go back to the default. */
function setOrRemove(key: ConfigKey, spec: KeySpec, example: string): string {
  const fallback = spec.default === "" ? "" : ` (${String(spec.default)})`;
  return `run pulumi config set ${key} ${example}, or pulumi config rm ${key} for the default${fallback}`;
}

/**
 * One plain key's value, checked against its row: the default when unset, the row's spelling for a
 * `oneOf` value, and otherwise a problem (naming the key, what it got and what to run) and the default.
 */
export function readKey<K extends PlainKey>(key: K, raw: string | undefined, problems: Problems): ValueOf<Keys[K]> {
  const spec: KeySpec = CONFIG_KEYS[key];
  const text = raw?.trim();
  if (text === undefined) return spec.default as ValueOf<Keys[K]>;
  if (spec.type === "integer") {
    const value = Number(text);
    if (/^-?\d+$/.test(text) && value >= spec.min && value <= spec.max) return value as ValueOf<Keys[K]>;
    problems.add(key, `must be a whole number from ${spec.min} to ${spec.max}, got "${text}"`, setOrRemove(key, spec, String(spec.default)));
    return spec.default as ValueOf<Keys[K]>;
  }
  if (spec.type === "boolean") {
    if (/^(true|false)$/i.test(text)) return (text.toLowerCase() === "true") as ValueOf<Keys[K]>;
    problems.add(key, `must be true or false, got "${text}"`, setOrRemove(key, spec, "true"));
    return spec.default as ValueOf<Keys[K]>;
  }
  if (spec.oneOf) {
    const match = spec.oneOf.find((candidate) => candidate.toLowerCase() === text.toLowerCase());
    if (match !== undefined) return match as ValueOf<Keys[K]>;
    const example = spec.oneOf.find((candidate) => candidate !== "") ?? "";
    problems.add(key, `must be one of ${allowedText(spec)}, got "${text}"`, setOrRemove(key, spec, example));
    return spec.default as ValueOf<Keys[K]>;
  }
  if (text !== "" && spec.form && !spec.form.test(text)) {
    problems.add(key, `must be ${spec.form.expected}, got "${text}"`, setOrRemove(key, spec, "<value>"));
    return spec.default as ValueOf<Keys[K]>;
  }
  return text as ValueOf<Keys[K]>;
}
