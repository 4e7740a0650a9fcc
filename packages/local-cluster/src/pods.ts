import { spawnSync } from "node:child_process";
import type { KubeObject } from "./kube-client.ts";

/** The project's Node 24 base image (../shared/tools/container-engine makes it in podman). */
export const BASE_IMAGE = "localhost/node-base:bookworm";

/** Why BASE_IMAGE cannot be copied into a node here, or undefined. */
export function missingBaseImage(): string | undefined {
  const run = spawnSync("podman", ["image", "exists", BASE_IMAGE]);
  if (run.error) return "podman not found: run ../shared/tools/container-engine (it installs podman and builds the base image)";
  return run.status === 0 ? undefined : `podman has no ${BASE_IMAGE}: run ../shared/tools/container-engine`;
}

/** A namespace that enforces (and warns and audits at) Pod Security "restricted", latest version. */
export function restrictedNamespace(name: string): KubeObject {
  const labels: Record<string, string> = {};
  for (const mode of ["enforce", "warn", "audit"]) {
    labels[`pod-security.kubernetes.io/${mode}`] = "restricted";
    labels[`pod-security.kubernetes.io/${mode}-version`] = "latest";
  }
  return { apiVersion: "v1", kind: "Namespace", metadata: { name, labels } };
}

export interface PodOptions {
  image: string;
  command: string[];
  port?: number;
  labels?: Record<string, string>;
  restartPolicy?: "Always" | "Never";
}

/** A Pod that Pod Security "restricted" admits, its image taken from the node's daemon only. */
export function restrictedPod(name: string, options: PodOptions): KubeObject & { spec: object } {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, labels: options.labels ?? {} },
    spec: {
      restartPolicy: options.restartPolicy ?? "Always",
      securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, seccompProfile: { type: "RuntimeDefault" } },
      containers: [
        {
          name: "main",
          image: options.image,
          imagePullPolicy: "Never",
          command: options.command,
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
          ...(options.port === undefined
            ? {}
            : {
                ports: [{ containerPort: options.port }],
                readinessProbe: { httpGet: { path: "/", port: options.port }, periodSeconds: 1 },
              }),
        },
      ],
    },
  };
}
