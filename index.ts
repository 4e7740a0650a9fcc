// The todo-chatbot stack: read typed config -> Minikube environment -> images -> secrets -> chart -> exports.
// Run with `npm run up` (checks prerequisites first) or `pulumi up`. Each step is one component in components/.
import { AppImage } from "./components/app-image";
import { AppNamespace } from "./components/app-namespace";
import { AppSecrets } from "./components/app-secrets";
import { SECRET_CHECKSUM_ANNOTATION } from "./components/chart-transforms";
import { FULLNAME, buildChartValues } from "./components/chart-values";
import { Chatbot } from "./components/chatbot";
import { ClusterEnvironment } from "./components/cluster-environment";
import { installAiops } from "./components/kagent";
import { loadStackConfig } from "./components/stack-config";

// 1. typed config (defaults and schema in Pulumi.yaml; errors name the key)
const { settings, secrets, aiops: aiopsPlan } = loadStackConfig();
const inClusterPostgres = !settings.has.databaseUrl;
const SECRET_NAME = "todo-chatbot-credentials";

// 2. where to build and deploy: Minikube's Docker daemon and a kube provider pinned to its context
const cluster = new ClusterEnvironment("cluster", {
  mode: settings.mode,
  minikubeProfile: settings.minikubeProfile,
  kubeContext: settings.kubeContext,
  dockerHost: settings.dockerHost,
  dockerCertPath: settings.dockerCertPath,
  nodeAddress: settings.nodeAddress,
  renderYamlToDirectory: settings.renderYamlToDirectory,
});
const onDocker = { providers: [cluster.dockerProvider] };
const onKubernetes = { providers: [cluster.kubernetesProvider] };

// 3. the two images, built from the repository root, tagged by the hash of what each Dockerfile reads
const imageArgs = {
  context: ".",
  ...(settings.nodeImage !== "" ? { buildArgs: { NODE_IMAGE: settings.nodeImage } } : {}),
  builder: settings.builder,
  registry: settings.registry,
  ...(settings.registry !== "" ? { registryUsername: settings.registryUsername } : {}),
  ...(secrets.registryPassword ? { registryPassword: secrets.registryPassword } : {}),
};
const backend = new AppImage("backend", { ...imageArgs, repository: "todo-chatbot-backend", dockerfile: "apps/backend/Dockerfile" }, onDocker);
const frontend = new AppImage("frontend", { ...imageArgs, repository: "todo-chatbot-frontend", dockerfile: "apps/frontend/Dockerfile" }, onDocker);

// 4. the namespace (Pod Security "restricted") and the one Secret the chart uses as existingSecret
const releaseNamespace = new AppNamespace("namespace", { name: settings.namespace }, onKubernetes);
const appSecrets = new AppSecrets(
  "app-secrets",
  {
    namespace: releaseNamespace.name,
    secretName: SECRET_NAME,
    inClusterPostgres,
    ...(secrets.openaiApiKey ? { openaiApiKey: secrets.openaiApiKey } : {}),
    ...(secrets.databaseUrl ? { databaseUrl: secrets.databaseUrl } : {}),
  },
  onKubernetes,
);

// 5. the chart, one Pulumi resource per Kubernetes object (values known up front: preview shows every object)
const values = buildChartValues({
  backendRepository: backend.repository,
  backendTag: backend.tag,
  frontendRepository: frontend.repository,
  frontendTag: frontend.tag,
  pullPolicy: settings.imagePullPolicy,
  replicas: settings.replicas,
  serviceType: settings.frontendServiceType,
  existingSecret: SECRET_NAME,
  inClusterPostgres,
  llmEgress: settings.has.openaiApiKey,
  publicUrl: settings.publicUrl,
  openaiModel: settings.openaiModel,
  openaiBaseUrl: settings.openaiBaseUrl,
  chatRateLimitPerMinute: settings.chatRateLimitPerMinute,
  logLevel: settings.logLevel,
});
const chatbot = new Chatbot(
  "todo-chatbot",
  {
    namespace: settings.namespace,
    chartPath: "./apps/chart",
    values,
    // a changed Secret rolls the backend (the checksum is an HMAC: it reveals nothing)
    podAnnotations: { [`${FULLNAME}-backend`]: { [SECRET_CHECKSUM_ANNOTATION]: appSecrets.checksum } },
    rolloutTimeoutSeconds: settings.rolloutTimeoutSeconds,
    waitFor: [releaseNamespace, backend, frontend, appSecrets],
    serviceType: settings.frontendServiceType,
    kubeContext: cluster.resolved.kubeContext,
    nodeAddress: cluster.resolved.nodeAddress,
    minikubeProfile: settings.mode === "minikube" ? settings.minikubeProfile : undefined,
    liveCluster: settings.renderYamlToDirectory === "",
  },
  onKubernetes,
);

// 6. optional AIOps (todo-chatbot:aiops): kagent and an operations Agent for this app. No dependsOn on the
// chart on purpose: the agent is there to diagnose an app whose Pods do not become ready.
const aiops = installAiops(
  {
    provider: cluster.kubernetesProvider,
    appNamespace: releaseNamespace.name,
    appFullname: FULLNAME,
    appSecretName: SECRET_NAME,
    plan: aiopsPlan,
    ...(secrets.openaiApiKey ? { openaiApiKey: secrets.openaiApiKey } : {}),
  },
  onKubernetes,
);

// 7. outputs (never a secret)
export const frontendUrl = chatbot.frontendUrl;
export const frontendUrlKind = chatbot.frontendUrlKind;
export const reachCommand = chatbot.reachCommand;
export const namespace = releaseNamespace.name;
export const backendImage = backend.ref;
export const frontendImage = frontend.ref;
export const kubeContext = cluster.resolved.kubeContext;
export const aiopsAgent = aiops?.agentName;
export const aiopsInvoke = aiops?.invokeCommand;
export const aiopsDashboard = aiops?.dashboardCommand;
