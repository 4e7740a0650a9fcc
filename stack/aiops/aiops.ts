/**
 * AIOps for the deployment: installs kagent (CRDs chart, then the controller chart) in its own
 * namespace and a kagent Agent that knows this app, with read-only tools unless write tools are
 * opted in. kagent 0.9.12, API kagent.dev/v1alpha2 (checked against go/api/config/crd/bases/ at
 * that tag; copies in test/fixtures/kagent/).
 *
 * Helm: helm.v3.Release, one Helm release per chart, because these are third-party operator charts
 * installed as kagent documents them (`helm install kagent-crds ...` then `helm install kagent ...`):
 * Release embeds the Helm SDK, so OCI charts, packaged sub-charts (kmcp, kagent-tools), hooks and
 * `lookup` behave as with the helm CLI, `helm list -n kagent` shows them and `helm uninstall` works,
 * and Pulumi awaits each release as a whole. The CRD release is a dependency of the controller
 * release, so the CRDs exist before anything uses them. (Our own chart uses helm.v4.Chart for a
 * per-object diff; that is not needed for a pinned upstream release.)
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
  KAGENT_API_VERSION,
  KAGENT_CHART_REPOSITORY,
  KAGENT_CRDS_RELEASE,
  KAGENT_NAMESPACE,
  KAGENT_RELEASE,
  KAGENT_VERSION,
  DEFAULT_OPENAI_MODEL,
  DEFAULT_OLLAMA_MODEL,
} from "./constants.ts";
import { type LlmSettings, buildAgent, buildCrdsValues, buildKagentValues, buildModelConfig } from "./manifests.ts";
import type { AiopsPlan } from "./settings.ts";

/** Where the agent's model is. */
export type AiopsLlmArgs =
  | {
      provider: "openai";
      /** The OpenAI (or compatible) API key; kept secret, stored only in a Secret in kagent's namespace. */
      apiKey: pulumi.Input<string>;
      /** OpenAI-compatible base URL; omit or empty for OpenAI itself. */
      baseUrl?: pulumi.Input<string>;
    }
  | {
      provider: "openai";
      /** An existing Secret in kagent's namespace holding the key (name and key), instead of apiKey. */
      existingSecret: { name: string; key: string };
      /** OpenAI-compatible base URL; omit or empty for OpenAI itself. */
      baseUrl?: pulumi.Input<string>;
    }
  | {
      provider: "ollama";
      /** Ollama URL as seen from inside the cluster, e.g. http://host.minikube.internal:11434. */
      host: pulumi.Input<string>;
    };

export interface AiopsArgs {
  /** Kubernetes provider of the cluster the app runs on. */
  provider: k8s.Provider;
  /** Refuses to adopt an existing `kagent` namespace (ClusterEnvironment.refuseToAdopt): a user's own kagent. */
  refuseExisting?: pulumi.ResourceHook;
  /** Namespace of the todo-chatbot Helm release the agent looks after. */
  appNamespace: pulumi.Input<string>;
  /** The app chart's fullname, the prefix of its object names (AppRelease.fullname). */
  appFullname: pulumi.Input<string>;
  /** Name of the app's Secret, for the agent's instructions; it cannot read it (AppRelease.secretName). */
  appSecretName: pulumi.Input<string>;
  /** The model and how to reach it. */
  llm: AiopsLlmArgs;
  /** Model name. Default gpt-4.1-mini (OpenAI) or llama3.2 (Ollama), kagent's own defaults. */
  model?: pulumi.Input<string>;
  /** Give the agent write tools (apply, patch, delete, rollout, scale), each call needing approval. Default false: read-only tools and read-only RBAC. */
  enableWriteTools?: boolean;
  /** Keep kagent's built-in sample agents (k8s-agent, istio-agent, ...). Default false. */
  enableSampleAgents?: boolean;
  /** kagent chart version (both charts). Default 0.9.12. */
  kagentVersion?: string;
  /** Name of the Agent. Default "todo-chatbot-ops". */
  agentName?: string;
  /** Seconds Helm waits for each release to become ready. Default 900 (image pulls on a fresh Minikube). */
  timeoutSeconds?: number;
}

/** Name of the Secret this component makes for the API key, and the key in it. */
export const LLM_SECRET_NAME = "todo-chatbot-aiops-llm";
export const LLM_SECRET_KEY = "OPENAI_API_KEY";

/** The command that asks the agent something from a terminal (kagent CLI, go/core/cli at v0.9.12). */
export function invokeCommand(agentName: string, namespace: string): string {
  return `kagent invoke --agent ${agentName} --task "Why is the todo-chatbot backend not ready?" -n ${namespace}`;
}

/**
 * The port-forward to kagent's UI (Service `<release>-ui`, port 8080). `kagent dashboard` runs the same
 * port-forward but opens the browser only on macOS; elsewhere it prints this command (go/core/cli at v0.9.12).
 */
export function dashboardCommand(namespace: string): string {
  return `kubectl -n ${namespace} port-forward service/${KAGENT_RELEASE}-ui 8082:8080  # then open http://localhost:8082`;
}

/**
 * AIOps: kagent (its two Helm releases) in namespace kagent, the model access (ModelConfig and, for an
 * OpenAI key, a Secret) and the operations Agent that knows this app.
 */
export class Aiops extends pulumi.ComponentResource {
  /** The Agent's name. */
  public readonly agentName: pulumi.Output<string>;
  /** Namespace kagent and the Agent run in. */
  public readonly namespace: pulumi.Output<string>;
  /** The ModelConfig's name. */
  public readonly modelConfigName: pulumi.Output<string>;
  /** `kagent invoke ...` to talk to the agent. */
  public readonly invokeCommand: pulumi.Output<string>;
  /** Opens kagent's UI on http://localhost:8082 (what `kagent dashboard` runs; that command opens a browser only on macOS). */
  public readonly dashboardCommand: pulumi.Output<string>;

  constructor(name: string, args: AiopsArgs, opts?: pulumi.ComponentResourceOptions) {
    // the alias keeps the URNs of stacks deployed while this class was called KagentOps (no replacement)
    super("todo-chatbot:aiops:Aiops", name, {}, pulumi.mergeOptions(opts, { aliases: [{ type: "todo-chatbot:aiops:KagentOps" }] }));
    const version = args.kagentVersion ?? KAGENT_VERSION;
    const agentName = args.agentName ?? "todo-chatbot-ops";
    const modelConfigName = `${agentName}-model`;
    const writes = args.enableWriteTools ?? false;
    const child = { parent: this, provider: args.provider };
    const timeout = args.timeoutSeconds ?? 900;

    const ns = new k8s.core.v1.Namespace(
      `${name}-ns`,
      { metadata: { name: KAGENT_NAMESPACE, labels: { "app.kubernetes.io/part-of": "todo-chatbot" } } },
      { ...child, ...(args.refuseExisting ? { hooks: { beforeCreate: [args.refuseExisting] } } : {}) },
    );

    const crds = new k8s.helm.v3.Release(
      `${name}-crds`,
      {
        name: KAGENT_CRDS_RELEASE,
        chart: `${KAGENT_CHART_REPOSITORY}/kagent-crds`,
        version,
        namespace: KAGENT_NAMESPACE,
        values: buildCrdsValues(),
        timeout,
      },
      { ...child, dependsOn: [ns] },
    );

    const { llm, secret } = this.modelAccess(name, args, { ...child, dependsOn: [ns] });

    const kagent = new k8s.helm.v3.Release(
      `${name}-kagent`,
      {
        name: KAGENT_RELEASE,
        chart: `${KAGENT_CHART_REPOSITORY}/kagent`,
        version,
        namespace: KAGENT_NAMESPACE,
        values: llm.apply((l) =>
          buildKagentValues({ llm: l, enableWriteTools: writes, enableSampleAgents: args.enableSampleAgents ?? false }),
        ),
        timeout,
      },
      { ...child, dependsOn: secret ? [crds, secret] : [crds] },
    );

    // Both depend on the controller release, so on destroy they go first while the controller can still clean up.
    const modelConfig = llm.apply((l) => buildModelConfig(modelConfigName, KAGENT_NAMESPACE, l));
    const mc = new k8s.apiextensions.CustomResource(
      `${name}-model`,
      {
        apiVersion: KAGENT_API_VERSION,
        kind: "ModelConfig",
        metadata: modelConfig.metadata,
        spec: modelConfig.spec,
      },
      { ...child, dependsOn: secret ? [kagent, secret] : [kagent] },
    );

    const agent = pulumi
      .all([args.appNamespace, args.appFullname, args.appSecretName])
      .apply(([appNamespace, appFullname, appSecretName]) =>
        buildAgent({
          name: agentName,
          namespace: KAGENT_NAMESPACE,
          modelConfigName,
          appNamespace,
          appFullname,
          appSecretName,
          enableWriteTools: writes,
        }),
      );
    const agentResource = new k8s.apiextensions.CustomResource(
      `${name}-agent`,
      { apiVersion: KAGENT_API_VERSION, kind: "Agent", metadata: agent.metadata, spec: agent.spec },
      { ...child, dependsOn: [kagent, mc] },
    );

    this.agentName = agentResource.metadata.name;
    this.namespace = pulumi.output(KAGENT_NAMESPACE);
    this.modelConfigName = mc.metadata.name;
    this.invokeCommand = this.agentName.apply((n) => invokeCommand(n, KAGENT_NAMESPACE));
    this.dashboardCommand = pulumi.output(dashboardCommand(KAGENT_NAMESPACE));
    this.registerOutputs({
      agentName: this.agentName,
      namespace: this.namespace,
      modelConfigName: this.modelConfigName,
      invokeCommand: this.invokeCommand,
      dashboardCommand: this.dashboardCommand,
    });
  }

  /** The model settings, and the Secret made for the API key (OpenAI with `apiKey` only). */
  private modelAccess(
    name: string,
    args: AiopsArgs,
    opts: pulumi.CustomResourceOptions,
  ): { llm: pulumi.Output<LlmSettings>; secret?: k8s.core.v1.Secret } {
    const a = args.llm;
    if (a.provider === "ollama") {
      const llm = pulumi
        .all([args.model ?? DEFAULT_OLLAMA_MODEL, a.host])
        .apply(([model, host]): LlmSettings => ({ provider: "ollama", model, host }));
      return { llm };
    }
    let secret: k8s.core.v1.Secret | undefined;
    let ref: { name: string; key: string };
    if ("apiKey" in a) {
      secret = new k8s.core.v1.Secret(
        `${name}-llm`,
        {
          metadata: { name: LLM_SECRET_NAME, namespace: KAGENT_NAMESPACE },
          type: "Opaque",
          stringData: { [LLM_SECRET_KEY]: pulumi.secret(a.apiKey) },
        },
        opts,
      );
      ref = { name: LLM_SECRET_NAME, key: LLM_SECRET_KEY };
    } else {
      ref = a.existingSecret;
    }
    const llm = pulumi.all([args.model ?? DEFAULT_OPENAI_MODEL, a.baseUrl ?? ""]).apply(
      ([model, baseUrl]): LlmSettings => ({
        provider: "openai",
        model,
        apiKeySecretName: ref.name,
        apiKeySecretKey: ref.key,
        baseUrl,
      }),
    );
    return { llm, secret };
  }
}

/** What installAiops needs from the rest of the program: what Aiops takes of the app, the plan and the key. */
export interface AiopsDeps extends Pick<AiopsArgs, "provider" | "refuseExisting" | "appNamespace" | "appFullname" | "appSecretName"> {
  /** What to install, from the stack config (`loadStackConfig().settings.aiops`); undefined installs nothing. */
  plan: AiopsPlan | undefined;
  /** The OpenAI key (secret) when one is configured; needed when the plan's provider is openai. */
  openaiApiKey?: pulumi.Input<string>;
}

/**
 * The one call index.ts makes: installs kagent and the operations agent when `aiops` is true,
 * returns undefined (and creates nothing) when it is off.
 */
export function installAiops(deps: AiopsDeps, opts?: pulumi.ComponentResourceOptions): Aiops | undefined {
  const { plan, openaiApiKey, ...app } = deps;
  if (!plan) return undefined;
  let llm: AiopsLlmArgs;
  if (plan.provider === "ollama") llm = { provider: "ollama", host: plan.host };
  else if (openaiApiKey !== undefined) llm = { provider: "openai", apiKey: openaiApiKey, baseUrl: plan.baseUrl };
  else throw new Error("installAiops: the plan's provider is openai but no openaiApiKey was passed (loadStackConfig refuses that config)");
  return new Aiops(
    "aiops",
    {
      ...app,
      llm,
      model: plan.model,
      enableWriteTools: plan.enableWriteTools,
      enableSampleAgents: plan.enableSampleAgents,
      kagentVersion: plan.kagentVersion,
    },
    opts,
  );
}
