/**
 * The stack's typed settings: every key of the table (keys.ts) read through its row, plus the rules that
 * relate two keys, in one pass that reports every problem at once. The settings come in one slice per
 * part of the stack (cluster, image, release, aiops), each handed to its component as it is.
 * Pure: no Pulumi runtime, so it is tested directly.
 */
import { planAiops, type AiopsPlan } from "../aiops/settings.ts";
import { ConfigError, PLAIN_KEYS, Problems, readKey, splitImageReference, type ConfigValues, type Keys, type PlainKey, type SecretKey, type ValueOf } from "./keys.ts";

export type Builder = ValueOf<Keys["builder"]>;
export type BuildNetwork = ValueOf<Keys["buildNetwork"]>;
export type ServiceType = ValueOf<Keys["frontendServiceType"]>;
export type LogLevel = ValueOf<Keys["logLevel"]>;
/** imagePullPolicy with "auto" resolved. */
export type PullPolicy = Exclude<ValueOf<Keys["imagePullPolicy"]>, "auto">;

/** Where the images go and which cluster receives the chart. */
export type DeployMode = "minikube" | "registry";

/** Where the stack builds and deploys (ClusterEnvironment takes this slice as its arguments). */
export interface ClusterSettings {
  /** "minikube" (no registry): build into the profile's daemon and deploy to its context; "registry": any daemon and context. */
  readonly mode: DeployMode;
  /** Minikube profile (`minikube -p PROFILE`); its name is also its kube context. */
  readonly minikubeProfile: string;
  /** Kube context override; "" means the Minikube profile's context (ClusterEnvironment decides). Required in registry mode. */
  readonly kubeContext: string;
  /** Docker daemon override ("" = `minikube docker-env`, or the local DOCKER_HOST in registry mode). */
  readonly dockerHost: string;
  /** TLS certificate directory of the overriding daemon ("" = none). */
  readonly dockerCertPath: string;
  /** Address NodePort URLs are built on ("" = `minikube ip` on Minikube, unknown elsewhere). */
  readonly nodeAddress: string;
  /** When not "", the Kubernetes provider writes YAML into this directory instead of reaching a cluster. */
  readonly renderYamlToDirectory: string;
}

/** How the two app images are built and where they go (AppImage). */
export interface ImageSettings {
  readonly builder: Builder;
  /** network of the RUN steps; "" = the daemon's default */
  readonly buildNetwork: BuildNetwork;
  /** `docker build --platform`; "" = the daemon's own (Minikube: its node's). With a registry the default is linux/amd64. */
  readonly platform: string;
  /** without trailing "/"; "" = build into Minikube, not pushed */
  readonly registry: string;
  readonly registryUsername: string;
  /** NODE_IMAGE build arg of both Dockerfiles; "" = the Dockerfiles' default */
  readonly nodeImage: string;
}

/** What the app's Helm release is configured with (chart values, AppRelease). */
export interface ReleaseSettings {
  readonly namespace: string;
  readonly replicas: number;
  readonly frontendServiceType: ServiceType;
  readonly imagePullPolicy: PullPolicy;
  readonly rolloutTimeoutSeconds: number;
  readonly publicUrl: string;
  readonly openaiModel: string;
  readonly openaiBaseUrl: string;
  readonly logLevel: LogLevel;
  readonly chatRateLimitPerMinute: number;
  /** the in-cluster PostgreSQL's image; undefined = the chart's default */
  readonly postgresqlImage: { readonly repository: string; readonly tag: string } | undefined;
}

/** The validated, typed settings the program is built from (secret values excluded: see {@link SecretKey}). */
export interface Settings {
  readonly cluster: ClusterSettings;
  readonly image: ImageSettings;
  readonly release: ReleaseSettings;
  /** what the `aiops*` keys ask for; undefined when `aiops` is off */
  readonly aiops: AiopsPlan | undefined;
  /** Whether each secret key has a non-empty value (presence is not secret; the values are). */
  readonly has: Readonly<Record<SecretKey, boolean>>;
}

/** How a secret key with a value was stored: encrypted (`pulumi config set --secret`) or in plain text. */
export type SecretStorage = "encrypted" | "plain text";

/**
 * Validates raw config strings (as `pulumi config` stores them) into {@link Settings}.
 *
 * @param raw      plain key -> value; missing or undefined keys take their default
 * @param secrets  the secret keys that have a non-empty value, and how each was stored
 * @throws ConfigError listing every problem, each naming its `todo-chatbot:` key and what to run
 */
export function parseSettings(
  raw: Readonly<Partial<Record<PlainKey, string | undefined>>>,
  secrets: Readonly<Partial<Record<SecretKey, SecretStorage>>> = {},
): Settings {
  const problems = new Problems();
  const read: Partial<Record<PlainKey, unknown>> = {};
  for (const key of PLAIN_KEYS) read[key] = readKey(key, raw[key], problems);
  const v = read as ConfigValues;

  for (const [key, storage] of Object.entries(secrets) as [SecretKey, SecretStorage][]) {
    if (storage === "plain text") {
      problems.add(key, "is stored in plain text in the stack's config file", `make it a secret: pulumi config rm ${key} && pulumi config set --secret ${key} <value>`);
    }
  }
  const has = {
    openaiApiKey: secrets.openaiApiKey !== undefined,
    databaseUrl: secrets.databaseUrl !== undefined,
    registryPassword: secrets.registryPassword !== undefined,
  } satisfies Record<SecretKey, boolean>;

  const registry = v.registry.replace(/\/+$/, "");
  const mode: DeployMode = registry === "" ? "minikube" : "registry";
  if (mode === "registry" && v.kubeContext === "") {
    problems.add(
      "kubeContext",
      "is required when todo-chatbot:registry is set (the stack never follows the current kube context)",
      'run pulumi config set kubeContext "$(kubectl config current-context)"',
    );
  }
  if (mode === "minikube" && v.minikubeProfile === "") {
    problems.add("minikubeProfile", "must not be empty", "run pulumi config rm minikubeProfile for the default profile (minikube)");
  }
  const imagePullPolicy: PullPolicy = v.imagePullPolicy === "auto" ? (mode === "minikube" ? "Never" : "IfNotPresent") : v.imagePullPolicy;
  if (mode === "registry" && imagePullPolicy === "Never") {
    problems.add(
      "imagePullPolicy",
      "is Never but todo-chatbot:registry is set, so the cluster could not pull the pushed images",
      "run pulumi config set imagePullPolicy auto (or IfNotPresent)",
    );
  }
  if (has.registryPassword && v.registryUsername === "") {
    problems.add("registryUsername", "is required when todo-chatbot:registryPassword is set", "run pulumi config set registryUsername <user>");
  }
  const aiops = planAiops(v, has.openaiApiKey, problems);
  if (aiops && v.renderYamlToDirectory !== "") {
    problems.add(
      "aiops",
      "is true while todo-chatbot:renderYamlToDirectory is set",
      "kagent is installed as a Helm release (helm.v3.Release), which needs a live cluster and cannot be rendered to YAML. " +
        "Turn one off: pulumi config set aiops false, or pulumi config rm renderYamlToDirectory.",
    );
  }

  if (problems.list.length > 0) throw new ConfigError(problems.list);
  return {
    cluster: {
      mode,
      minikubeProfile: v.minikubeProfile,
      kubeContext: v.kubeContext,
      dockerHost: v.dockerHost,
      dockerCertPath: v.dockerCertPath,
      nodeAddress: v.nodeAddress,
      renderYamlToDirectory: v.renderYamlToDirectory,
    },
    image: {
      builder: v.builder,
      buildNetwork: v.buildNetwork,
      // with a registry the machine running Pulumi is not the cluster: its architecture is no guide (an Apple Silicon
      // laptop would push arm64 images to amd64 nodes: exec format error)
      platform: v.buildPlatform !== "" ? v.buildPlatform : mode === "registry" ? "linux/amd64" : "",
      registry,
      registryUsername: v.registryUsername,
      nodeImage: v.nodeImage,
    },
    release: {
      namespace: v.namespace,
      replicas: v.replicas,
      frontendServiceType: v.frontendServiceType,
      imagePullPolicy,
      rolloutTimeoutSeconds: v.rolloutTimeoutSeconds,
      publicUrl: v.publicUrl,
      openaiModel: v.openaiModel,
      openaiBaseUrl: v.openaiBaseUrl,
      logLevel: v.logLevel,
      chatRateLimitPerMinute: v.chatRateLimitPerMinute,
      postgresqlImage: v.postgresqlImage === "" ? undefined : splitImageReference(v.postgresqlImage),
    },
    aiops,
    has,
  };
}
