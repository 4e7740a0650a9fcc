/**
 * The stack's typed settings: every `todo-chatbot:` config key, its default (the same as Pulumi.yaml,
 * which a test checks) and its validation. Pure: no Pulumi runtime, so it is tested directly.
 */

/** The Pulumi project name, which is also the config namespace (`todo-chatbot:replicas`). */
export const PROJECT = "todo-chatbot";

export const SERVICE_TYPES = ["LoadBalancer", "NodePort", "ClusterIP"] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];

export const PULL_POLICIES = ["Never", "IfNotPresent", "Always"] as const;
export type PullPolicy = (typeof PULL_POLICIES)[number];

export const BUILDERS = ["buildkit", "classic"] as const;
export type Builder = (typeof BUILDERS)[number];

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Keys whose values are secrets: read as secrets, never exported, stored only in the Kubernetes Secret. */
export const SECRET_KEYS = ["openaiApiKey", "databaseUrl", "registryPassword"] as const;
export type SecretKey = (typeof SECRET_KEYS)[number];

/** Defaults of the non-secret keys, exactly as declared in Pulumi.yaml. */
export const DEFAULTS = {
  namespace: "todo-chatbot",
  minikubeProfile: "minikube",
  kubeContext: "",
  dockerHost: "",
  dockerCertPath: "",
  nodeAddress: "",
  builder: "buildkit",
  replicas: 1,
  frontendServiceType: "LoadBalancer",
  imagePullPolicy: "auto",
  rolloutTimeoutSeconds: 300,
  publicUrl: "",
  openaiModel: "gpt-4o-mini",
  openaiBaseUrl: "",
  logLevel: "info",
  chatRateLimitPerMinute: 20,
  registry: "",
  registryUsername: "",
  nodeImage: "",
  renderYamlToDirectory: "",
} as const;

export type PlainKey = keyof typeof DEFAULTS;

/** Where the images go and which cluster receives the chart. */
export type DeployMode = "minikube" | "registry";

/** The validated, typed settings the program is built from (secrets excluded: see {@link SecretKey}). */
export interface Settings {
  /** Kubernetes namespace of the release (created by the stack, labelled for Pod Security "restricted"). */
  readonly namespace: string;
  /** Minikube profile whose Docker daemon builds the images and whose kube context receives the chart. */
  readonly minikubeProfile: string;
  /** Kube context the stack is pinned to; empty on Minikube means the profile's own context. */
  readonly kubeContext: string;
  /** Docker daemon override (e.g. tcp://host:2376 or unix:///run/podman.sock); empty means `minikube docker-env`. */
  readonly dockerHost: string;
  /** TLS certificate directory of {@link dockerHost}; empty when the daemon needs none. */
  readonly dockerCertPath: string;
  /** Address that NodePort URLs are built on; empty on Minikube means `minikube ip`. */
  readonly nodeAddress: string;
  /** Image builder: BuildKit (Minikube's daemon) or the classic builder (podman's Docker API). */
  readonly builder: Builder;
  /** Replicas of the backend and of the frontend. */
  readonly replicas: number;
  /** Type of the frontend Service. */
  readonly frontendServiceType: ServiceType;
  /** Pull policy of the two app images (resolved from "auto": Never on Minikube, IfNotPresent with a registry). */
  readonly imagePullPolicy: PullPolicy;
  /** Seconds Pulumi waits for each workload to become ready before failing the update. */
  readonly rolloutTimeoutSeconds: number;
  /** PUBLIC_URL of the app; empty trusts the forwarded host's origin. */
  readonly publicUrl: string;
  /** OPENAI_MODEL. */
  readonly openaiModel: string;
  /** OPENAI_BASE_URL of an OpenAI-compatible API; empty means OpenAI. */
  readonly openaiBaseUrl: string;
  /** LOG_LEVEL of the backend. */
  readonly logLevel: LogLevel;
  /** CHAT_RATE_LIMIT_PER_MINUTE. */
  readonly chatRateLimitPerMinute: number;
  /** Registry the images are pushed to ("" = build into Minikube, not pushed). */
  readonly registry: string;
  /** User name for {@link registry}. */
  readonly registryUsername: string;
  /** NODE_IMAGE build arg of both Dockerfiles (a mirror or offline base); "" = the Dockerfiles' default. */
  readonly nodeImage: string;
  /** Render the Kubernetes objects as YAML into this directory instead of applying them ("" = apply). */
  readonly renderYamlToDirectory: string;
  /** "minikube" unless a registry is configured. */
  readonly mode: DeployMode;
  /** The kube context actually used (kubeContext, or the Minikube profile). */
  readonly effectiveKubeContext: string;
  /** Whether each secret key has a non-empty value (presence is not secret; the values are). */
  readonly has: Readonly<Record<SecretKey, boolean>>;
}

/** A config error that names every offending key and says what to do. */
export class ConfigError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`invalid stack configuration:\n  - ${problems.join("\n  - ")}`);
    this.name = "ConfigError";
    this.problems = problems;
  }
}

/** `todo-chatbot:replicas` */
export function fullKey(key: string): string {
  return `${PROJECT}:${key}`;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * Validates raw config strings (as `pulumi config` stores them) into {@link Settings}.
 *
 * @param raw      plain (non-secret) key -> value; missing or undefined keys take their default
 * @param present  which secret keys have a non-empty value
 * @throws ConfigError listing every problem, each naming its `todo-chatbot:` key
 */
export function parseSettings(
  raw: Readonly<Partial<Record<PlainKey, string | undefined>>>,
  present: Readonly<Partial<Record<SecretKey, boolean>>> = {},
): Settings {
  const problems: string[] = [];
  const str = (key: PlainKey): string => {
    const value = raw[key];
    return value === undefined ? String(DEFAULTS[key]) : value.trim();
  };
  const int = (key: PlainKey, min: number, max: number): number => {
    const text = str(key);
    const value = Number(text);
    if (!/^-?\d+$/.test(text) || value < min || value > max) {
      problems.push(
        `${fullKey(key)} must be a whole number from ${min} to ${max}, got "${text}" ` +
          `(pulumi config set ${key} ${DEFAULTS[key]})`,
      );
      return Number(DEFAULTS[key]);
    }
    return value;
  };
  const oneOf = <T extends string>(key: PlainKey, allowed: readonly T[]): T => {
    const text = str(key);
    const match = allowed.find((candidate) => candidate.toLowerCase() === text.toLowerCase());
    if (match === undefined) {
      problems.push(`${fullKey(key)} must be one of ${allowed.join(", ")}, got "${text}"`);
      return allowed[0] as T;
    }
    return match;
  };

  const namespace = str("namespace");
  if (!DNS_LABEL.test(namespace)) {
    problems.push(`${fullKey("namespace")} must be a DNS label (lower-case letters, digits, "-"), got "${namespace}"`);
  }
  const registry = str("registry").replace(/\/+$/, "");
  const mode: DeployMode = registry === "" ? "minikube" : "registry";
  const kubeContext = str("kubeContext");
  if (mode === "registry" && kubeContext === "") {
    problems.push(
      `${fullKey("kubeContext")} is required when ${fullKey("registry")} is set: the stack never follows ` +
        `the current kube context (pulumi config set kubeContext "$(kubectl config current-context)")`,
    );
  }
  const pullText = str("imagePullPolicy");
  let imagePullPolicy: PullPolicy;
  if (pullText.toLowerCase() === "auto") {
    imagePullPolicy = mode === "minikube" ? "Never" : "IfNotPresent";
  } else {
    const match = PULL_POLICIES.find((policy) => policy.toLowerCase() === pullText.toLowerCase());
    if (match === undefined) {
      problems.push(`${fullKey("imagePullPolicy")} must be one of auto, ${PULL_POLICIES.join(", ")}, got "${pullText}"`);
    }
    imagePullPolicy = match ?? "Never";
  }
  if (mode === "registry" && imagePullPolicy === "Never") {
    problems.push(
      `${fullKey("imagePullPolicy")} is Never but ${fullKey("registry")} is set: the cluster must pull ` +
        `the pushed images (use auto or IfNotPresent)`,
    );
  }
  const publicUrl = str("publicUrl");
  if (publicUrl !== "" && !/^https?:\/\/[^\s/]+/.test(publicUrl)) {
    problems.push(`${fullKey("publicUrl")} must be an http(s) URL such as http://todo.example.com, got "${publicUrl}"`);
  }
  const openaiBaseUrl = str("openaiBaseUrl");
  if (openaiBaseUrl !== "" && !/^https?:\/\/[^\s/]+/.test(openaiBaseUrl)) {
    problems.push(`${fullKey("openaiBaseUrl")} must be an http(s) URL, got "${openaiBaseUrl}"`);
  }
  if (present.registryPassword && str("registryUsername") === "") {
    problems.push(`${fullKey("registryUsername")} is required when ${fullKey("registryPassword")} is set`);
  }

  const settings: Settings = {
    namespace,
    minikubeProfile: str("minikubeProfile"),
    kubeContext,
    dockerHost: str("dockerHost"),
    dockerCertPath: str("dockerCertPath"),
    nodeAddress: str("nodeAddress"),
    builder: oneOf("builder", BUILDERS),
    replicas: int("replicas", 1, 20),
    frontendServiceType: oneOf("frontendServiceType", SERVICE_TYPES),
    imagePullPolicy,
    rolloutTimeoutSeconds: int("rolloutTimeoutSeconds", 30, 3600),
    publicUrl,
    openaiModel: str("openaiModel"),
    openaiBaseUrl,
    logLevel: oneOf("logLevel", LOG_LEVELS),
    chatRateLimitPerMinute: int("chatRateLimitPerMinute", 1, 10000),
    registry,
    registryUsername: str("registryUsername"),
    nodeImage: str("nodeImage"),
    renderYamlToDirectory: str("renderYamlToDirectory"),
    mode,
    effectiveKubeContext: kubeContext !== "" ? kubeContext : str("minikubeProfile"),
    has: {
      openaiApiKey: present.openaiApiKey === true,
      databaseUrl: present.databaseUrl === true,
      registryPassword: present.registryPassword === true,
    },
  };
  if (settings.minikubeProfile === "" && mode === "minikube") {
    problems.push(`${fullKey("minikubeProfile")} must not be empty (the default profile is "minikube")`);
  }
  if (problems.length > 0) throw new ConfigError([...new Set(problems)]);
  return settings;
}
