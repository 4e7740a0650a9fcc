import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { KubeClient } from "./kube-client.ts";
import { startTunnel, type Tunnel } from "./tunnel.ts";

/** packages/local-cluster/cluster.sh: builds, starts and stops the cluster (see its header and README). */
export const clusterScript = join(import.meta.dirname, "..", "cluster.sh");

const CONTROL_PLANE = ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"];
const NODE = ["kubelet", "kube-proxy", "cri-dockerd", "coredns", "pause", "registry"];
const HOST_TOOLS = ["dockerd", "runc", "ip", "nsenter", "unshare", "iptables"];

function script(args: string[], timeoutMs: number): string {
  return execFileSync("bash", [clusterScript, ...args], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"], // its own messages (e.g. "waiting for the build") reach the log
    timeout: timeoutMs,
  });
}

function onPath(tool: string): boolean {
  return (process.env.PATH ?? "").split(":").some((dir) => dir !== "" && existsSync(join(dir, tool)));
}

/**
 * Why a cluster of this kind cannot start here (binaries not built, a host tool missing, not root), or
 * undefined when it can. Meant for suiteGate().
 */
export function missingCluster(kind: "control-plane" | "node"): string | undefined {
  // waits while `cluster.sh build` runs (CI starts the tests beside the cold build: tens of minutes)
  const binDir = script(["bin-dir"], 3_600_000).trim();
  const wanted = kind === "node" ? [...CONTROL_PLANE, ...NODE] : CONTROL_PLANE;
  const missing = wanted.filter((name) => !existsSync(join(binDir, name)));
  if (missing.length > 0) {
    return `${missing.join(", ")} not built in ${binDir}; run 'bash packages/local-cluster/cluster.sh build' (Go >= 1.24; minutes cold, cached afterwards)`;
  }
  if (kind === "control-plane") return undefined;
  if (process.getuid?.() !== 0) return "a cluster with a node needs root (network and mount namespaces, cgroups)";
  const tools = HOST_TOOLS.filter((tool) => !onPath(tool));
  if (tools.length > 0 || !existsSync("/usr/lib/cni/bridge")) {
    return `missing ${[...tools, ...(existsSync("/usr/lib/cni/bridge") ? [] : ["/usr/lib/cni/bridge"])].join(", ")}: apt-get install --no-install-recommends docker.io containernetworking-plugins iptables iproute2`;
  }
  return undefined;
}

/** What `cluster.sh env DIR` prints, parsed. */
export interface ClusterEnv {
  KUBECONFIG: string;
  KUBE_CONTEXT: string;
  API_SERVER: string;
  /** only with a node: unix://DIR/docker.sock, the node's Docker daemon (Minikube's `docker-env`) */
  DOCKER_HOST?: string;
  /** only with a node: its address, reachable from this machine (as `minikube ip`) */
  NODE_IP?: string;
  NODE_NAME?: string;
  /** only with a node: the host's end of the veth pair to the node */
  HOST_INTERFACE?: string;
  /** only with `withRegistry`: host:port of the registry on the node (plain HTTP, trusted by its daemon) */
  REGISTRY?: string;
}

export interface StartOptions {
  /** also start a Docker registry on NODE_IP:5000, as Minikube's registry addon */
  readonly withRegistry?: boolean;
}

export interface LocalCluster {
  readonly dir: string;
  readonly kubeconfig: string;
  readonly env: ClusterEnv;
  /** seconds `start` took */
  readonly startSeconds: number;
  /** the last lines of a component's log (etcd, kube-apiserver, kubelet, dockerd, ...), for failure messages */
  logTail(component: string, lines?: number): string;
  /** copies images from podman (or docker-archive files) into the node's Docker daemon */
  loadImages(images: string[]): Promise<void>;
  /** the docker CLI's environment for the node's daemon (DOCKER_HOST), for child processes */
  dockerEnv(): NodeJS.ProcessEnv;
  /**
   * Builds an image straight into the node's daemon, as `eval $(minikube docker-env) && docker build`
   * does (classic builder; RUN steps on the host network, since the node's daemon has no bridge).
   */
  buildImage(options: BuildOptions): Promise<void>;
  /** starts what `minikube tunnel` does: LoadBalancer Services get their ClusterIP as address, routed to the node */
  startTunnel(kube: KubeClient): Tunnel;
  /**
   * Stops everything and removes DIR. When cluster.sh stop fails DIR is kept, with the pid files and logs:
   * it throws, and a second stop() (e.g. the suite's afterAll) finds what is still running instead of
   * "nothing to stop".
   */
  stop(): void;
}

export interface BuildOptions {
  tag: string;
  context: string;
  /** relative to the context, as docker build -f */
  dockerfile?: string;
  buildArgs?: Record<string, string>;
}

/** The PostgreSQL stand-in (images/postgresql), for the chart's postgresql.image.* values. */
export const POSTGRES_IMAGE = { repository: "local-cluster/postgresql", tag: "15-bookworm" } as const;
const POSTGRES_CONTEXT = join(import.meta.dirname, "..", "images", "postgresql");

/** Debian's docker CLI (20.10) speaks the node daemon's API without plugins; any docker CLI works. */
export function dockerCli(): string {
  return existsSync("/usr/bin/docker") ? "/usr/bin/docker" : "docker";
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { env, timeout: timeoutMs, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${command} ${args.join(" ")} failed:\n${stderr.slice(-4000)}${stdout.slice(-4000)}`)) : resolve(stdout),
    );
  });
}

export function parseEnv(text: string): ClusterEnv {
  const values = new Map<string, string>();
  for (const line of text.split("\n")) {
    const match = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (match?.[1] && match[2] !== undefined) values.set(match[1], match[2]);
  }
  const required = (key: string): string => {
    const value = values.get(key);
    if (value === undefined) throw new Error(`cluster.sh env printed no ${key}:\n${text}`);
    return value;
  };
  const env: ClusterEnv = { KUBECONFIG: required("KUBECONFIG"), KUBE_CONTEXT: required("KUBE_CONTEXT"), API_SERVER: required("API_SERVER") };
  for (const key of ["DOCKER_HOST", "NODE_IP", "NODE_NAME", "HOST_INTERFACE", "REGISTRY"] as const) {
    const value = values.get(key);
    if (value !== undefined) env[key] = value;
  }
  return env;
}

/** Starts a cluster in a new temporary directory: a whole one (`node`) or only the control plane. */
/** Builds the PostgreSQL stand-in into the node (cached by the node's layer cache). */
export async function buildPostgresImage(cluster: LocalCluster, baseImage: string): Promise<typeof POSTGRES_IMAGE> {
  await cluster.buildImage({
    tag: `${POSTGRES_IMAGE.repository}:${POSTGRES_IMAGE.tag}`,
    context: POSTGRES_CONTEXT,
    buildArgs: { BASE_IMAGE: baseImage },
  });
  return POSTGRES_IMAGE;
}

export function startCluster(kind: "control-plane" | "node", options: StartOptions = {}): LocalCluster {
  const dir = mkdtempSync(join(tmpdir(), kind === "node" ? "local-cluster-" : "control-plane-"));
  const started = Date.now();
  let env: ClusterEnv;
  try {
    const args = kind === "node" ? ["start", dir, ...(options.withRegistry ? ["--with-registry"] : [])] : ["start", dir, "--control-plane-only"];
    const envFile = script(args, 600_000).trim().split("\n").pop() ?? "";
    env = parseEnv(readFileSync(envFile, "utf8"));
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? "";
    try {
      script(["stop", dir], 120_000);
    } catch {
      // the start failure is the one to report
    }
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`cluster.sh start failed:\n${stderr || String(error)}`, { cause: error });
  }
  const startSeconds = (Date.now() - started) / 1000;
  return {
    dir,
    kubeconfig: env.KUBECONFIG,
    env,
    startSeconds,
    logTail(component, lines = 40) {
      try {
        return readFileSync(join(dir, "logs", `${component}.log`), "utf8").split("\n").slice(-lines).join("\n");
      } catch {
        return `(no log for ${component})`;
      }
    },
    loadImages(images) {
      return new Promise((resolve, reject) => {
        execFile("bash", [clusterScript, "load-image", dir, ...images], { timeout: 600_000, encoding: "utf8" }, (error, _out, stderr) =>
          error ? reject(new Error(`cluster.sh load-image ${images.join(" ")} failed:\n${stderr}`)) : resolve(),
        );
      });
    },
    dockerEnv() {
      if (!env.DOCKER_HOST) throw new Error("this cluster has no node, so no Docker daemon");
      return { ...process.env, DOCKER_HOST: env.DOCKER_HOST, DOCKER_BUILDKIT: "0" };
    },
    async buildImage(options) {
      const args = ["build", "-q", "--network", "host", "-t", options.tag];
      if (options.dockerfile) args.push("-f", join(options.context, options.dockerfile));
      for (const [key, value] of Object.entries(options.buildArgs ?? {})) args.push("--build-arg", `${key}=${value}`);
      args.push(options.context);
      await run(dockerCli(), args, this.dockerEnv(), 900_000);
    },
    startTunnel(kube) {
      if (!env.NODE_IP || !env.HOST_INTERFACE) throw new Error("this cluster has no node to tunnel to");
      return startTunnel(kube, { nodeIp: env.NODE_IP, hostInterface: env.HOST_INTERFACE });
    },
    stop() {
      script(["stop", dir], 180_000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
