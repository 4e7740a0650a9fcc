import { describe, expect, it } from "vitest";
import { frontendEndpoint, type EndpointInput } from "../../stack/release/frontend-endpoint";

const base: EndpointInput = {
  serviceType: "LoadBalancer",
  serviceName: "todo-chatbot-frontend",
  namespace: "todo-chatbot",
  kubeContext: "minikube",
  port: 80,
  nodePort: 31080,
  ingress: undefined,
  nodeAddress: "192.168.49.2",
  nodeReachable: true,
  minikubeProfile: "minikube",
};

describe("the frontend URL", () => {
  it("is the LoadBalancer's address (IP or cloud hostname) once assigned", () => {
    expect(frontendEndpoint({ ...base, ingress: "10.96.0.42" })).toMatchObject({ url: "http://10.96.0.42", kind: "LoadBalancer" });
    expect(frontendEndpoint({ ...base, ingress: "a1b2.elb.amazonaws.com", port: 8080, minikubeProfile: undefined })).toMatchObject({
      url: "http://a1b2.elb.amazonaws.com:8080",
      kind: "LoadBalancer",
    });
    expect(frontendEndpoint({ ...base, ingress: "fd00::42" }).url).toBe("http://[fd00::42]");
  });

  it("falls back to the NodePort while the LoadBalancer is pending, and says to run minikube tunnel", () => {
    const e = frontendEndpoint(base);
    expect(e).toMatchObject({ url: "http://192.168.49.2:31080", kind: "NodePort" });
    expect(e.command).toMatch(/^minikube -p minikube tunnel/);
  });

  it("uses a port-forward for ClusterIP, or when no node address is known", () => {
    const forward = "kubectl --context minikube -n todo-chatbot port-forward svc/todo-chatbot-frontend 8080:80";
    expect(frontendEndpoint({ ...base, serviceType: "ClusterIP" })).toEqual({ url: "http://127.0.0.1:8080", kind: "port-forward", command: forward });
    expect(frontendEndpoint({ ...base, nodeAddress: "", minikubeProfile: undefined })).toEqual({
      url: "http://127.0.0.1:8080",
      kind: "port-forward",
      command: forward,
    });
  });
});
