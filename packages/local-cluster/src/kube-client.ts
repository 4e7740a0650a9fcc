import { readFileSync } from "node:fs";
import { request } from "node:https";
import { parse } from "yaml";

/** A Kubernetes object as the API server returns it (only the fields the suite reads are typed). */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: { kind: string; name: string }[];
    deletionTimestamp?: string;
  };
  spec?: object;
  status?: object;
}

export interface KubeList<T extends KubeObject = KubeObject> {
  items: T[];
}

export interface KubeEvent extends KubeObject {
  reason?: string;
  message?: string;
  type?: string;
  involvedObject: { kind: string; name: string };
}

export interface KubeResponse {
  status: number;
  body: unknown;
  /** the API server's Warning headers (Pod Security warnings end up here) */
  warnings: string[];
}

export class KubeApiError extends Error {
  readonly status: number;
  readonly body: unknown;

  constructor(method: string, path: string, status: number, body: unknown) {
    super(`${method} ${path} -> ${status}: ${statusMessage(body)}`);
    this.status = status;
    this.body = body;
  }
}

interface Kubeconfig {
  clusters: { cluster: { server: string; "certificate-authority-data": string } }[];
  users: { user: { "client-certificate-data": string; "client-key-data": string } }[];
}

interface ApiResource {
  name: string;
  kind: string;
  namespaced: boolean;
}

/** A minimal client for the API server, authenticated with the kubeconfig's client certificate. */
export class KubeClient {
  private readonly server: URL;
  private readonly ca: Buffer;
  private readonly cert: Buffer;
  private readonly key: Buffer;
  private readonly discovery = new Map<string, ApiResource[]>();

  constructor(kubeconfigPath: string) {
    const config = parse(readFileSync(kubeconfigPath, "utf8")) as Kubeconfig;
    const cluster = config.clusters[0]?.cluster;
    const user = config.users[0]?.user;
    if (!cluster || !user) throw new Error(`${kubeconfigPath} has no cluster or user entry`);
    this.server = new URL(cluster.server);
    this.ca = Buffer.from(cluster["certificate-authority-data"], "base64");
    this.cert = Buffer.from(user["client-certificate-data"], "base64");
    this.key = Buffer.from(user["client-key-data"], "base64");
  }

  /** Sends a request and returns status, parsed body and warnings; never throws on an HTTP status. */
  send(method: string, path: string, body?: unknown, contentType = "application/json"): Promise<KubeResponse> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: this.server.hostname,
          port: this.server.port,
          path,
          method,
          ca: this.ca,
          cert: this.cert,
          key: this.key,
          headers: {
            accept: "application/json",
            ...(payload === undefined ? {} : { "content-type": contentType }),
          },
          timeout: 30_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            let parsed: unknown = text;
            try {
              parsed = text === "" ? undefined : JSON.parse(text);
            } catch {
              // not JSON (e.g. /readyz): keep the text
            }
            const warning = res.headers.warning;
            const warnings = warning === undefined ? [] : Array.isArray(warning) ? warning : [warning];
            resolve({ status: res.statusCode ?? 0, body: parsed, warnings });
          });
        },
      );
      req.on("timeout", () => req.destroy(new Error(`${method} ${path}: no answer within 30 s`)));
      req.on("error", reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  /** Like send, but throws a KubeApiError unless the status is 2xx. */
  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.send(method, path, body);
    if (response.status < 200 || response.status > 299) {
      throw new KubeApiError(method, path, response.status, response.body);
    }
    return response.body as T;
  }

  get<T extends KubeObject>(path: string): Promise<T> {
    return this.call<T>("GET", path);
  }

  async list<T extends KubeObject>(path: string, labelSelector?: string): Promise<T[]> {
    const query = labelSelector ? `?labelSelector=${encodeURIComponent(labelSelector)}` : "";
    return (await this.call<KubeList<T>>("GET", `${path}${query}`)).items;
  }

  /** The REST path of an object of this apiVersion and kind (found through discovery). */
  async pathOf(apiVersion: string, kind: string, namespace: string, name?: string): Promise<string> {
    const base = apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    let resources = this.discovery.get(base);
    if (!resources) {
      resources = (await this.call<{ resources: ApiResource[] }>("GET", base)).resources.filter(
        (resource) => !resource.name.includes("/"),
      );
      this.discovery.set(base, resources);
    }
    const resource = resources.find((candidate) => candidate.kind === kind);
    if (!resource) throw new Error(`the API server does not serve kind ${kind} in ${apiVersion}`);
    const scope = resource.namespaced ? `${base}/namespaces/${namespace}` : base;
    return `${scope}/${resource.name}${name === undefined ? "" : `/${name}`}`;
  }

  /**
   * Creates an object from its manifest (namespace defaulted); returns the server's answer. With
   * fieldValidation=Strict (the default here) a field the schema does not know is an error instead of
   * being silently pruned.
   */
  async create(manifest: KubeObject, namespace: string, fieldValidation: "Strict" | "Ignore" = "Strict"): Promise<KubeResponse> {
    const path = await this.pathOf(manifest.apiVersion ?? "v1", manifest.kind ?? "", namespace);
    return this.send("POST", `${path}?fieldValidation=${fieldValidation}`, manifest);
  }

  events(namespace: string): Promise<KubeEvent[]> {
    return this.list<KubeEvent>(`/api/v1/namespaces/${namespace}/events`);
  }
}

/** The message of an API server Status answer (an error's explanation), or the body as JSON. */
export function statusMessage(body: unknown): string {
  return typeof body === "object" && body !== null && "message" in body ? String(body.message) : JSON.stringify(body);
}

/** Thrown by a probe to stop waiting at once (the awaited state can no longer come). */
export class StopWaiting extends Error {}

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs` saying what it waited for. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      if (error instanceof StopWaiting) throw error;
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}${last ? ` (last error: ${String(last)})` : ""}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
