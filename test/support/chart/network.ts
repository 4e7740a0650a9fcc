/**
 * NetworkPolicy semantics (networking.k8s.io/v1), enough to answer "may this Pod open a connection to
 * that Pod (or to an address outside the cluster) on this port?" for the objects of one namespace.
 * A Pod is isolated in a direction when any policy selecting it lists that direction in policyTypes;
 * then only what some rule of such a policy allows gets through, on both ends.
 */
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy" with { "resolution-mode": "import" };
import type { INetworkPolicyPeer } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer" with { "resolution-mode": "import" };
import type { INetworkPolicyPort } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicyPort" with { "resolution-mode": "import" };
import type { KubeObject, PodTemplate } from "./objects.js";
import { selectorMatches } from "./selectors.js";

/** A traffic endpoint: one of the release's Pods, or an address outside the cluster. */
export type Endpoint = PodTemplate | "outside";

export interface Connection {
  from: Endpoint;
  to: Endpoint;
  port: number;
  protocol?: "TCP" | "UDP";
}

export function networkPolicies(objects: readonly KubeObject[]): INetworkPolicy[] {
  return objects.filter((object) => object.kind === "NetworkPolicy") as unknown as INetworkPolicy[];
}

function policyTypes(policy: INetworkPolicy): string[] {
  const declared = policy.spec?.policyTypes;
  if (declared && declared.length > 0) return declared;
  return policy.spec?.egress ? ["Ingress", "Egress"] : ["Ingress"];
}

function selects(policy: INetworkPolicy, pod: PodTemplate): boolean {
  return selectorMatches(policy.spec?.podSelector ?? {}, pod.labels);
}

/** Does the peer list admit the endpoint? Empty/absent list admits everything. */
function peersAdmit(peers: INetworkPolicyPeer[] | undefined, endpoint: Endpoint): boolean {
  if (!peers || peers.length === 0) return true;
  return peers.some((peer) => {
    if (peer.ipBlock) return endpoint === "outside" || peer.ipBlock.cidr === "0.0.0.0/0";
    if (endpoint === "outside") return false;
    // Same namespace only: a namespaceSelector would widen the peer beyond this release's namespace.
    if (peer.namespaceSelector) return peer.podSelector ? selectorMatches(peer.podSelector, endpoint.labels) : true;
    return peer.podSelector ? selectorMatches(peer.podSelector, endpoint.labels) : false;
  });
}

/** Does the port list admit the port? Named ports resolve against the destination Pod's containers. */
function portsAdmit(ports: INetworkPolicyPort[] | undefined, connection: Connection): boolean {
  if (!ports || ports.length === 0) return true;
  const protocol = connection.protocol ?? "TCP";
  return ports.some((rule) => {
    if ((rule.protocol ?? "TCP") !== protocol) return false;
    if (rule.port === undefined) return true;
    if (typeof rule.port === "number") {
      const end = rule.endPort ?? rule.port;
      return connection.port >= rule.port && connection.port <= end;
    }
    if (connection.to === "outside") return false;
    return connection.to.spec.containers.some((container) =>
      (container.ports ?? []).some((declared) => declared.name === rule.port && declared.containerPort === connection.port));
  });
}

function egressAllowed(policies: INetworkPolicy[], connection: Connection): boolean {
  if (connection.from === "outside") return true;
  const from = connection.from;
  const applying = policies.filter((policy) => selects(policy, from) && policyTypes(policy).includes("Egress"));
  if (applying.length === 0) return true;
  return applying.some((policy) =>
    (policy.spec?.egress ?? []).some((rule) => peersAdmit(rule.to, connection.to) && portsAdmit(rule.ports, connection)));
}

function ingressAllowed(policies: INetworkPolicy[], connection: Connection): boolean {
  if (connection.to === "outside") return true;
  const to = connection.to;
  const applying = policies.filter((policy) => selects(policy, to) && policyTypes(policy).includes("Ingress"));
  if (applying.length === 0) return true;
  return applying.some((policy) =>
    (policy.spec?.ingress ?? []).some((rule) => peersAdmit(rule.from, connection.from) && portsAdmit(rule.ports, connection)));
}

/** May the connection be opened under these policies? */
export function connectionAllowed(policies: INetworkPolicy[], connection: Connection): boolean {
  return egressAllowed(policies, connection) && ingressAllowed(policies, connection);
}
