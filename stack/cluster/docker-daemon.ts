/**
 * The identity of the Docker daemon the stack builds into, read from the Docker Engine API while the
 * program runs (GET /info, and GET /version to tell podman apart). The images are tied to it
 * (AppImage's `replacementTrigger`): pulumi-docker's `Read` returns the stored state without asking the
 * daemon ("we do no reconciliation", provider/provider.go), so without this a `minikube delete` + `start`
 * or another profile would leave the Pods in ErrImageNeverPull while Pulumi sees nothing to do.
 *
 * What the identity is: Docker's `ID` (since Docker 27 a UUID kept in the daemon's data root as
 * `engine-id`, before that the daemon key's fingerprint): it survives `minikube stop`/`start` and changes with
 * a new machine (`minikube delete` + `start`, another profile). Podman's Docker API answers a new random
 * `ID` on every call, so for podman the identity is its host name and storage root instead.
 */
import { readFileSync } from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import { join } from "node:path";

/** Where a daemon listens, as Node's http.request takes it. */
interface Target {
  readonly socketPath?: string;
  readonly host?: string;
  readonly port?: number;
  readonly tls: boolean;
}

/** unix:///var/run/docker.sock, npipe:////./pipe/docker_engine, tcp://H:P -> a request target; undefined for ssh:// and the like. */
function targetOf(dockerHost: string, certPath: string): Target | undefined {
  if (dockerHost.startsWith("unix://")) return { socketPath: dockerHost.slice("unix://".length), tls: false };
  if (dockerHost.startsWith("npipe://")) return { socketPath: dockerHost.slice("npipe://".length).replace(/\//g, "\\"), tls: false };
  const tcp = /^(?:tcp|https?):\/\/(\[[^\]]+\]|[^:/]+)(?::(\d+))?/.exec(dockerHost);
  if (!tcp?.[1]) return undefined;
  const tls = certPath !== "";
  return { host: tcp[1].replace(/^\[(.*)\]$/, "$1"), port: Number(tcp[2] ?? (tls ? 2376 : 2375)), tls };
}

function getJson(target: Target, certPath: string, path: string, timeoutMs: number): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const common = { method: "GET", path, timeout: timeoutMs, ...(target.socketPath ? { socketPath: target.socketPath } : { host: target.host, port: target.port }) };
    const onResponse = (res: http.IncomingMessage): void => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", reject);
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        if (res.statusCode !== 200) return reject(new Error(`GET ${path} answered ${res.statusCode ?? "nothing"}: ${text.slice(0, 200)}`));
        try {
          resolve(JSON.parse(text) as Record<string, unknown>);
        } catch {
          reject(new Error(`GET ${path} answered no JSON: ${text.slice(0, 200)}`));
        }
      });
    };
    const req = target.tls
      ? https.request(
          {
            ...common,
            ca: readFileSync(join(certPath, "ca.pem")),
            cert: readFileSync(join(certPath, "cert.pem")),
            key: readFileSync(join(certPath, "key.pem")),
          },
          onResponse,
        )
      : http.request(common, onResponse);
    req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
    req.on("error", reject);
    req.end();
  });
}

/** The daemon's identity, or an Error saying why it could not be read. */
export async function readDaemonIdentity(dockerHost: string, certPath: string, timeoutMs = 10_000): Promise<string | Error> {
  const target = targetOf(dockerHost, certPath);
  if (!target) return new Error(`the stack reads the daemon's identity over unix://, npipe:// or tcp:// only, not ${dockerHost}`);
  try {
    const [info, version] = await Promise.all([
      getJson(target, certPath, "/info", timeoutMs),
      getJson(target, certPath, "/version", timeoutMs),
    ]);
    const components = Array.isArray(version.Components) ? (version.Components as { Name?: unknown }[]) : [];
    if (components.some((c) => typeof c.Name === "string" && /podman/i.test(c.Name))) {
      return `podman:${String(info.Name)}:${String(info.DockerRootDir)}`;
    }
    if (typeof info.ID !== "string" || info.ID === "") return new Error("GET /info answered no ID");
    return `docker:${info.ID}`;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}
