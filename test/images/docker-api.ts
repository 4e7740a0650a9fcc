/**
 * Builds an image through the Docker Engine API (POST /build with a tar of the context), the path
 * @pulumi/docker, dockerode and the `docker` CLI take towards Minikube's daemon. Uses the classic
 * builder (`version=1`): podman's Docker API has no BuildKit session endpoint.
 */
import { spawn } from "node:child_process";
import { request } from "node:http";
import { buildContextFiles } from "../../stack/image/dockerignore";

export interface ApiBuildResult {
  /** the `stream` text of the build, concatenated */
  readonly log: string;
  /** the image id the daemon reported (aux.ID), when it did */
  readonly imageId: string | undefined;
}

interface BuildMessage {
  stream?: string;
  error?: string;
  errorDetail?: { message?: string };
  aux?: { ID?: string };
}

/** unix:///run/podman/podman.sock -> /run/podman/podman.sock; only unix sockets are supported here. */
export function socketPathOf(dockerHost: string): string {
  if (!dockerHost.startsWith("unix://")) throw new Error(`DOCKER_HOST ${dockerHost} is not a unix socket; this suite talks to unix:// only`);
  return dockerHost.slice("unix://".length);
}

/** GET a JSON document from the Engine API. */
export function apiGet<T>(socketPath: string, path: string): Promise<{ status: number; body: T }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path, method: "GET" }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => {
        try {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as T });
        } catch {
          reject(new Error(`GET ${path}: HTTP ${res.statusCode}, not JSON: ${text.slice(0, 500)}`));
        }
      });
    });
    req.on("error", reject);
    req.end();
  });
}

export function buildThroughApi(
  socketPath: string,
  { context, dockerfile, tag, buildArgs }: { context: string; dockerfile: string; tag: string; buildArgs: Record<string, string> },
): Promise<ApiBuildResult> {
  const query = new URLSearchParams({
    dockerfile,
    t: tag,
    buildargs: JSON.stringify(buildArgs),
    networkmode: "host",
    version: "1",
    rm: "true",
  });
  const files = buildContextFiles(context, dockerfile);
  return new Promise((resolve, reject) => {
    // the context as a tar stream, exactly the files the Docker CLI would send for this Dockerfile
    // (its <Dockerfile>.dockerignore first)
    const tar = spawn("tar", ["-c", "-f", "-", "--no-recursion", "--null", "-T", "-"], { cwd: context, stdio: ["pipe", "pipe", "pipe"] });
    let tarErrors = "";
    tar.stderr.on("data", (chunk: Buffer) => (tarErrors += chunk.toString()));
    tar.stdin.end(files.map((f) => `${f}\0`).join(""));
    const req = request(
      { socketPath, path: `/build?${query.toString()}`, method: "POST", headers: { "Content-Type": "application/x-tar" } },
      (res) => {
        let pending = "";
        let log = "";
        let imageId: string | undefined;
        let failure: string | undefined;
        res.setEncoding("utf8");
        const consume = (line: string): void => {
          if (!line.trim()) return;
          let message: BuildMessage;
          try {
            message = JSON.parse(line) as BuildMessage;
          } catch {
            log += `${line}\n`;
            return;
          }
          if (message.stream) log += message.stream;
          if (message.error) failure = message.errorDetail?.message ?? message.error;
          if (message.aux?.ID) imageId = message.aux.ID;
        };
        res.on("data", (chunk: string) => {
          pending += chunk;
          const lines = pending.split("\n");
          pending = lines.pop() ?? "";
          lines.forEach(consume);
        });
        res.on("end", () => {
          consume(pending);
          if (res.statusCode !== 200 || failure) {
            reject(new Error(`POST /build answered HTTP ${res.statusCode}: ${failure ?? ""}\n${log.slice(-6000)}${tarErrors}`));
          } else resolve({ log, imageId });
        });
      },
    );
    req.on("error", (error) => reject(new Error(`cannot reach the Docker API at ${socketPath}: ${error.message}`)));
    tar.stdout.pipe(req);
    tar.on("exit", (code) => {
      if (code !== 0) req.destroy(new Error(`tar of the build context failed (exit ${code}): ${tarErrors}`));
    });
  });
}
