/**
 * How a user reaches the frontend, from the live Service: its LoadBalancer address when one is
 * assigned, else its NodePort on the node address, else a port-forward. Pure.
 */
import type { ServiceType } from "../config/settings";

export type FrontendUrlKind = "LoadBalancer" | "NodePort" | "port-forward";

export interface EndpointInput {
  readonly serviceType: ServiceType;
  readonly serviceName: string;
  readonly namespace: string;
  readonly kubeContext: string;
  /** the Service port (80) */
  readonly port: number;
  /** the node port Kubernetes assigned (LoadBalancer and NodePort Services have one) */
  readonly nodePort: number | undefined;
  /** status.loadBalancer.ingress[0]: ip or hostname, when assigned */
  readonly ingress: string | undefined;
  /** address of a node ("" when unknown) */
  readonly nodeAddress: string;
  /** the Minikube profile, when deploying to Minikube */
  readonly minikubeProfile: string | undefined;
}

export interface Endpoint {
  readonly url: string;
  readonly kind: FrontendUrlKind;
  /** a command that reaches the app from this machine */
  readonly command: string;
}

function httpUrl(host: string, port: number): string {
  const h = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  return port === 80 ? `http://${h}` : `http://${h}:${port}`;
}

export function frontendEndpoint(input: EndpointInput): Endpoint {
  const mk = input.minikubeProfile;
  if (input.serviceType === "LoadBalancer" && input.ingress) {
    const url = httpUrl(input.ingress, input.port);
    return { url, kind: "LoadBalancer", command: `curl -fsS ${url}/healthz  # then open ${url} in a browser` };
  }
  if (input.serviceType !== "ClusterIP" && input.nodePort && input.nodeAddress !== "") {
    const url = httpUrl(input.nodeAddress, input.nodePort);
    const command =
      mk !== undefined
        ? input.serviceType === "LoadBalancer"
          ? `minikube -p ${mk} tunnel  # assigns the LoadBalancer an address; until then use ${url} (or: minikube -p ${mk} service -n ${input.namespace} ${input.serviceName} --url)`
          : `minikube -p ${mk} service -n ${input.namespace} ${input.serviceName} --url`
        : `curl -fsS ${url}/healthz`;
    return { url, kind: "NodePort", command };
  }
  const local = 8080;
  return {
    url: httpUrl("127.0.0.1", local),
    kind: "port-forward",
    command: `kubectl --context ${input.kubeContext} -n ${input.namespace} port-forward svc/${input.serviceName} ${local}:${input.port}`,
  };
}
