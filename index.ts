// The todo-chatbot stack: typed config -> Minikube environment -> images -> namespace and Secret -> the app's
// Helm release -> optional AIOps -> exports. Run with `npm run up` (checks prerequisites first) or `pulumi up`.
// Each step lives in the folder of stack/ named after it: config/, cluster/, image/, release/, aiops/.
import "./stack/runtime/stack-traces.ts"; // first: plain V8 stack traces (see the file)
import { installAiops } from "./stack/aiops/aiops.ts";
import { ClusterEnvironment } from "./stack/cluster/cluster-environment.ts";
import { loadStackConfig } from "./stack/config/stack-config.ts";
import { AppImage } from "./stack/image/app-image.ts";
import { AppNamespace } from "./stack/release/app-namespace.ts";
import { AppRelease } from "./stack/release/app-release.ts";
import { AppSecrets } from "./stack/release/app-secrets.ts";
import { buildChartValues } from "./stack/release/chart-values.ts";

// 1. typed config (stack/config: one table of keys, from which Pulumi.yaml's schema is generated; errors name the
// key), in one slice per step below
const { settings, secrets } = loadStackConfig();
const inClusterPostgres = !settings.has.databaseUrl;

// 2. where to build and deploy (stack/cluster): Minikube's Docker daemon and a kube provider pinned to its context
const cluster = new ClusterEnvironment("cluster", settings.cluster);
const onDocker = { providers: [cluster.dockerProvider] };
const onKubernetes = { providers: [cluster.kubernetesProvider] };

// 3. the two images (stack/image), built from the repository root, tagged by the hash of what each Dockerfile reads
const imageArgs = {
  context: ".",
  ...(settings.image.nodeImage !== "" ? { buildArgs: { NODE_IMAGE: settings.image.nodeImage } } : {}),
  builder: settings.image.builder,
  registry: settings.image.registry,
  ...(settings.image.buildNetwork !== "" ? { network: settings.image.buildNetwork } : {}),
  ...(settings.image.platform !== "" ? { platform: settings.image.platform } : {}),
  // rebuilt when Minikube's daemon is replaced (minikube delete + start, another profile): see stack/cluster/docker-daemon.ts
  daemonIdentity: cluster.daemonIdentity,
  ...(settings.image.registry !== "" ? { registryUsername: settings.image.registryUsername } : {}),
  ...(secrets.registryPassword ? { registryPassword: secrets.registryPassword } : {}),
};
const backend = new AppImage("backend", { ...imageArgs, repository: "todo-chatbot-backend", dockerfile: "apps/backend/Dockerfile" }, onDocker);
const frontend = new AppImage("frontend", { ...imageArgs, repository: "todo-chatbot-frontend", dockerfile: "apps/frontend/Dockerfile" }, onDocker);

// 4. the release's namespace (Pod Security "restricted") and the one Secret the chart uses as existingSecret
// (stack/release names it)
const adoptionHint =
  `Use another namespace (pulumi config set namespace ${settings.release.namespace}-2), or, if it is a leftover (e.g. of the ` +
  `chart README's helm install: helm uninstall todo-chatbot -n ${settings.release.namespace}), delete it first: ` +
  `kubectl --context ${cluster.resolved.kubeContext} delete namespace ${settings.release.namespace}`;
const refuseExisting = cluster.refuseToAdopt("refuse-existing-app-namespace", adoptionHint);
const releaseNamespace = new AppNamespace(
  "namespace",
  { name: settings.release.namespace, ...(refuseExisting ? { refuseExisting } : {}) },
  onKubernetes,
);
const appSecrets = new AppSecrets(
  "app-secrets",
  {
    namespace: releaseNamespace.name,
    inClusterPostgres,
    ...(secrets.openaiApiKey ? { openaiApiKey: secrets.openaiApiKey } : {}),
    ...(secrets.databaseUrl ? { databaseUrl: secrets.databaseUrl } : {}),
  },
  onKubernetes,
);

// 5. the app's Helm release (stack/release): one Pulumi resource per Kubernetes object (values known up front:
// preview shows every object)
const values = buildChartValues({
  ...settings.release,
  backendRepository: backend.repository,
  backendTag: backend.tag,
  frontendRepository: frontend.repository,
  frontendTag: frontend.tag,
  inClusterPostgres,
  llmEgress: settings.has.openaiApiKey,
});
const release = new AppRelease(
  "todo-chatbot",
  {
    namespace: settings.release.namespace,
    chartPath: "./apps/chart",
    values,
    // a changed Secret rolls the backend (the checksum is an HMAC: it reveals nothing)
    secretChecksum: appSecrets.checksum,
    rolloutTimeoutSeconds: settings.release.rolloutTimeoutSeconds,
    waitFor: [releaseNamespace, backend, frontend, appSecrets],
    serviceType: settings.release.frontendServiceType,
    kubeContext: cluster.resolved.kubeContext,
    nodeAddress: cluster.resolved.nodeAddress,
    nodeReachable: cluster.resolved.nodeReachable,
    minikubeProfile: settings.cluster.mode === "minikube" ? settings.cluster.minikubeProfile : undefined,
    liveCluster: settings.cluster.renderYamlToDirectory === "",
  },
  onKubernetes,
);

// 6. optional AIOps (stack/aiops, todo-chatbot:aiops): kagent and an operations Agent for this app. No dependsOn
// on the release on purpose (its names are plain strings): the agent is there to diagnose an app whose Pods do
// not become ready.
const refuseExistingKagent = settings.aiops
  ? cluster.refuseToAdopt(
      "refuse-existing-kagent-namespace",
      "kagent is probably installed there already: the stack installs its own. Turn aiops off (pulumi config set aiops false), " +
        "or remove that kagent first (helm uninstall kagent -n kagent; helm uninstall kagent-crds -n kagent).",
    )
  : undefined;
const aiops = installAiops(
  {
    provider: cluster.kubernetesProvider,
    ...(refuseExistingKagent ? { refuseExisting: refuseExistingKagent } : {}),
    appNamespace: releaseNamespace.name,
    appFullname: release.fullname,
    appSecretName: release.secretName,
    plan: settings.aiops,
    ...(secrets.openaiApiKey ? { openaiApiKey: secrets.openaiApiKey } : {}),
  },
  onKubernetes,
);

// 7. outputs (never a secret)
export const frontendUrl = release.frontendUrl;
export const frontendUrlKind = release.frontendUrlKind;
export const reachCommand = release.reachCommand;
export const namespace = releaseNamespace.name;
export const backendImage = backend.ref;
export const frontendImage = frontend.ref;
export const kubeContext = cluster.resolved.kubeContext;
export const aiopsAgent = aiops?.agentName;
export const aiopsInvoke = aiops?.invokeCommand;
export const aiopsDashboard = aiops?.dashboardCommand;
