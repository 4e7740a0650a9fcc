/**
 * How a user reaches the frontend, from the live Service: its LoadBalancer address when one is
 * assigned, else its NodePort on the node address, else a port-forward. On Minikube's docker driver on
 * macOS, Windows and WSL the node's address cannot be reached from this machine (docker-env's host is a
 * forwarded 127.0.0.1 port): there no URL is printed as if it worked, `minikube service --url` (which
 * keeps an SSH tunnel open while it runs) or `minikube tunnel` is the way in. Pure.
 */
import type { ServiceType } from "../config/settings.ts";

export type FrontendUrlKind = "LoadBalancer" | "NodePort" | "port-forward" | "minikube-service";

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
  /**
   * false when this machine cannot route to the node (Minikube's docker driver with a loopback docker-env
   * host): NodePorts are then reached through `minikube service --url` or `minikube tunnel` only.
   */
  readonly nodeReachable: boolean;
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
  if (mk !== undefined && !input.nodeReachable && input.serviceType !== "ClusterIP") {
    const service = `minikube -p ${mk} service -n ${input.namespace} ${input.serviceName} --url`;
    const keepOpen = "keep this terminal open: it prints a 127.0.0.1 URL that works while it runs (the node's address is not reachable from this machine on the docker driver)";
    const command =
      input.serviceType === "LoadBalancer"
        ? `minikube -p ${mk} tunnel  # keep it running (it may ask for sudo); the LoadBalancer then gets 127.0.0.1 and the next pulumi up prints it as frontendUrl. Or: ${service}  # ${keepOpen}`
        : `${service}  # ${keepOpen}`;
    return { url: "", kind: "minikube-service", command };
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
