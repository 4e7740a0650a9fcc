// Stand-in for the `docker` resource provider's Image resource (served by provider-host.ts), with the
// token, inputs and outputs of @pulumi/docker's `docker.Image`. It builds for real, through the Docker
// Engine API at the provider's `host` (or DOCKER_HOST): the build context is sent as a tar archive that
// honours `<Dockerfile>.dockerignore` or else .dockerignore, with the classic builder
// (`builderVersion: BuilderV1`, `version=1`) or BuildKit (`BuilderBuildKit`, `version=2`).
// Like the upstream provider it records a digest of the build context, so an unchanged context means no
// diff and no rebuild, and its `read` returns the stored state unchanged (so, as upstream, an image that
// vanished from the daemon is never noticed). It negotiates the API version with the daemon as upstream's
// client does (Docker 20.10 and podman 4 speak 1.41). Differences from upstream that a user could notice
// are listed in docs/verification.md; in short: no BuildKit session (upstream opens one over /session for
// registry credentials, so here BuildKit must find the base images in the daemon), no cacheFrom, no other
// docker resources. A push (skipPush: false) goes through the daemon's /images/{name}/push as upstream's. `pulumi destroy` leaves the built image in
// the daemon's store, as upstream does.
//
// Upstream source read for this file: github.com/pulumi/pulumi-docker at 237b7899 (v5.1.0+24; the npm
// package here is @pulumi/docker 5.2.0): provider/provider.go (Read, getIgnorePatterns) and provider/image.go
// (the build options, the BuildKit session, client.WithAPIVersionNegotiation).
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
// The same .dockerignore semantics as the stack's image tags (<Dockerfile>.dockerignore, else the
// context's .dockerignore, as Docker and upstream's getIgnorePatterns in provider/provider.go choose): one
// engine, loaded by Node's type stripping (it imports only node: modules).
import { buildContextFiles } from "../../../stack/image/dockerignore.ts";
import type { DiffResult, ProviderFactory, Props, StandInProvider } from "./provider-host.ts";

const IMAGE = "docker:index/image:Image";
const DIGEST_KEY = "contextDigest";

interface Endpoint {
  socketPath?: string;
  host?: string;
  port?: number;
}

function endpointOf(dockerHost: string): Endpoint {
  if (dockerHost.startsWith("unix://")) return { socketPath: dockerHost.slice("unix://".length) };
  const tcp = /^tcp:\/\/([^:/]+):(\d+)/.exec(dockerHost);
  if (tcp?.[1] && tcp[2]) return { host: tcp[1], port: Number(tcp[2]) };
  throw new Error(`docker stand-in provider: unsupported docker host "${dockerHost}" (use unix:// or tcp://)`);
}

interface ApiResponse {
  status: number;
  text: string;
  headers: http.IncomingHttpHeaders;
}

function request(
  endpoint: Endpoint,
  method: string,
  apiPath: string,
  body?: fs.ReadStream,
  headers: Record<string, string> = {},
): Promise<ApiResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { ...endpoint, method, path: apiPath, headers: { ...(body ? { "Content-Type": "application/x-tar" } : {}), ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8"), headers: res.headers }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", (err) => reject(new Error(`docker stand-in provider: cannot reach the Docker API: ${err.message}`)));
    if (body) body.pipe(req);
    else req.end();
  });
}

/**
 * The API version of the Docker client that upstream vendors (github.com/docker/docker v28.5.2 in
 * provider/go.mod: api.DefaultVersion). Like client.WithAPIVersionNegotiation, the stand-in uses the
 * lower of this and the daemon's version (from GET /_ping), e.g. 1.41 for Docker 20.10 and podman 4.
 */
export const CLIENT_API_VERSION = "1.51";

/** "1.41" < "1.51" as API versions. */
function olderApi(a: string, b: string): boolean {
  const [aMajor = 0, aMinor = 0] = a.split(".").map(Number);
  const [bMajor = 0, bMinor = 0] = b.split(".").map(Number);
  return aMajor < bMajor || (aMajor === bMajor && aMinor < bMinor);
}

/** Negotiates like upstream's client: the daemon's API version when it is older than the client's. */
export function negotiatedApiVersion(daemonApiVersion: string | undefined): string {
  if (!daemonApiVersion || !/^\d+\.\d+$/.test(daemonApiVersion)) return CLIENT_API_VERSION;
  return olderApi(daemonApiVersion, CLIENT_API_VERSION) ? daemonApiVersion : CLIENT_API_VERSION;
}

/** Files of the build context (relative, sorted) that the build sends, by the stack's one .dockerignore engine. */
function contextFiles(contextDir: string, dockerfile: string): string[] {
  return buildContextFiles(contextDir, path.relative(contextDir, dockerfile));
}

interface BuildSpec {
  context: string;
  dockerfile: string;
  args: Record<string, string>;
  target: string;
  platform: string;
  network: string;
  builderVersion: string;
}

function buildSpecOf(inputs: Props): BuildSpec {
  const build = (inputs["build"] ?? {}) as Props;
  const context = path.resolve(typeof build["context"] === "string" ? build["context"] : ".");
  const dockerfile =
    typeof build["dockerfile"] === "string" ? path.resolve(build["dockerfile"]) : path.join(context, "Dockerfile");
  const str = (v: unknown): string => (typeof v === "string" ? v : "");
  return {
    context,
    dockerfile,
    args: (build["args"] ?? {}) as Record<string, string>,
    target: str(build["target"]),
    platform: str(build["platform"]),
    network: str(build["network"]),
    builderVersion: str(build["builderVersion"]) || "BuilderBuildKit",
  };
}

function contextDigest(spec: BuildSpec): string {
  const hash = createHash("sha256");
  hash.update(JSON.stringify({ ...spec, context: "", dockerfile: path.relative(spec.context, spec.dockerfile) }));
  hash.update(fs.readFileSync(spec.dockerfile));
  for (const rel of contextFiles(spec.context, spec.dockerfile)) {
    hash.update(`\0${rel}\0`);
    hash.update(fs.readFileSync(path.join(spec.context, rel)));
  }
  return `sha256:${hash.digest("hex")}`;
}

const createDockerProvider: ProviderFactory = (tools) => {
  let dockerHost = process.env["DOCKER_HOST"] ?? "unix:///var/run/docker.sock";
  const negotiated = new Map<string, string>();

  /** "/v1.41" for the current host, asked once per host (GET /_ping's Api-Version header). */
  async function apiPrefix(): Promise<string> {
    let version = negotiated.get(dockerHost);
    if (version === undefined) {
      const ping = await request(endpointOf(dockerHost), "GET", "/_ping");
      const header = ping.headers["api-version"];
      version = negotiatedApiVersion(Array.isArray(header) ? header[0] : header);
      negotiated.set(dockerHost, version);
    }
    return `/v${version}`;
  }

  async function inspect(imageName: string): Promise<{ Id: string; RepoDigests?: string[] } | undefined> {
    const res = await request(endpointOf(dockerHost), "GET", `${await apiPrefix()}/images/${encodeURIComponent(imageName)}/json`);
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw new Error(`docker stand-in provider: inspecting ${imageName}: ${res.status} ${res.text}`);
    return JSON.parse(res.text) as { Id: string };
  }

  /**
   * Pushes imageName as upstream does after a build when skipPush is false (provider/image.go: the
   * registry's credentials as X-Registry-Auth, the pushed manifest's digest as repoDigest).
   */
  async function push(imageName: string, registry: Props): Promise<string> {
    const slash = imageName.lastIndexOf("/");
    const colon = imageName.lastIndexOf(":");
    const [repository, tag] = colon > slash ? [imageName.slice(0, colon), imageName.slice(colon + 1)] : [imageName, "latest"];
    const auth = Buffer.from(
      JSON.stringify({
        username: typeof registry["username"] === "string" ? registry["username"] : "",
        password: typeof registry["password"] === "string" ? registry["password"] : "",
        serveraddress: typeof registry["server"] === "string" ? registry["server"] : "",
      }),
    ).toString("base64url");
    const res = await request(
      endpointOf(dockerHost),
      "POST",
      `${await apiPrefix()}/images/${repository}/push?tag=${encodeURIComponent(tag)}`,
      undefined,
      { "X-Registry-Auth": auth },
    );
    if (res.status !== 200) throw new Error(`docker push of ${imageName} failed: ${res.status} ${res.text}`);
    let digest = "";
    for (const line of res.text.split("\n").filter(Boolean)) {
      const message = JSON.parse(line) as { error?: string; aux?: { Digest?: string } };
      if (message.error) throw new Error(`docker push of ${imageName} failed: ${message.error}`);
      if (message.aux?.Digest) digest = message.aux.Digest;
    }
    if (!digest) throw new Error(`docker push of ${imageName}: the daemon reported no digest`);
    return `${repository}@${digest}`;
  }

  async function build(inputs: Props): Promise<Props> {
    const plain = tools.reveal(inputs) as Props;
    const imageName = String(plain["imageName"]);
    const spec = buildSpecOf(plain);
    const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-docker-build-"));
    try {
      const listFile = path.join(workDir, "files");
      const tarFile = path.join(workDir, "context.tar");
      fs.writeFileSync(listFile, contextFiles(spec.context, spec.dockerfile).join("\0"));
      let dockerfileInTar = path.relative(spec.context, spec.dockerfile).split(path.sep).join("/");
      const extra: string[] = [];
      if (dockerfileInTar.startsWith("..")) {
        dockerfileInTar = ".pulumi-Dockerfile";
        fs.copyFileSync(spec.dockerfile, path.join(workDir, dockerfileInTar));
        extra.push("-C", workDir, dockerfileInTar);
      }
      execFileSync("tar", ["-cf", tarFile, "--no-recursion", "-C", spec.context, "--null", "-T", listFile, ...extra]);
      const query = new URLSearchParams({
        t: imageName,
        dockerfile: dockerfileInTar,
        buildargs: JSON.stringify(spec.args),
        version: spec.builderVersion === "BuilderV1" ? "1" : "2",
        // remove the classic builder's intermediate containers also after a failed step (forcerm):
        // podman's Docker API keeps a failed build's working container mounted otherwise
        rm: "1",
        forcerm: "1",
      });
      if (spec.target) query.set("target", spec.target);
      if (spec.platform) query.set("platform", spec.platform);
      if (spec.network) query.set("networkmode", spec.network);
      const res = await request(
        endpointOf(dockerHost),
        "POST",
        `${await apiPrefix()}/build?${query.toString()}`,
        fs.createReadStream(tarFile),
      );
      const log: string[] = [];
      for (const line of res.text.split("\n").filter(Boolean)) {
        const message = JSON.parse(line) as { stream?: string; error?: string };
        if (message.stream) log.push(message.stream.trimEnd());
        if (message.error) {
          // BuildKit asks the client's session for registry credentials; this stand-in opens none
          const hint = /no active session/i.test(message.error)
            ? "\n(the docker stand-in opens no BuildKit session, unlike upstream: load or pull the base images into " +
              "the daemon first, or build with the classic builder: pulumi config set builder classic)"
            : "";
          throw new Error(`docker build of ${imageName} failed: ${message.error}${hint}\n${log.slice(-20).join("\n")}`);
        }
      }
      if (res.status !== 200) throw new Error(`docker build of ${imageName} failed: ${res.status} ${res.text}`);
    } finally {
      fs.rmSync(workDir, { recursive: true, force: true });
    }
    const image = await inspect(imageName);
    if (!image) throw new Error(`docker stand-in provider: ${imageName} was built but the Docker API does not list it`);
    const registry = (plain["registry"] ?? {}) as Props;
    const pushedDigest = plain["skipPush"] === true ? undefined : await push(imageName, registry);
    return {
      ...inputs,
      imageName,
      baseImageName: imageName,
      context: spec.context,
      dockerfile: spec.dockerfile,
      platform: spec.platform,
      registryServer: typeof registry["server"] === "string" ? registry["server"] : "",
      repoDigest: pushedDigest ?? image.RepoDigests?.[0] ?? image.Id,
    };
  }

  const provider: StandInProvider = {
    // As upstream's Configure (provider/provider.go -> configureDockerClient(config, verify=true) in
    // provider/image.go): ping the daemon on every command that configures the provider (preview, up,
    // refresh, destroy); with no explicit host, also try the Docker Desktop user sockets; else fail with
    // upstream's "failed to connect to any docker daemon".
    configure: async (config) => {
      const explicit = typeof config["host"] === "string" && config["host"] !== "" ? config["host"] : process.env["DOCKER_HOST"];
      const candidates = explicit
        ? [explicit]
        : ["unix:///var/run/docker.sock", ...["/.docker/run/docker.sock", "/.docker/desktop/docker.sock"].map((s) => `unix://${os.homedir()}${s}`)];
      for (const candidate of candidates) {
        const answered = await request(endpointOf(candidate), "GET", "/_ping").then(
          (res) => res.status === 200,
          () => false,
        );
        if (answered) {
          dockerHost = candidate;
          return;
        }
      }
      throw new Error(`failed to connect to any docker daemon (tried ${candidates.join(", ")}; set the provider's host or DOCKER_HOST)`);
    },
    check: (type, news) => {
      if (type !== IMAGE) {
        return Promise.resolve({ inputs: news, failures: [{ property: "", reason: `the docker stand-in provider supports only ${IMAGE}` }] });
      }
      if (news["imageName"] === undefined || news["imageName"] === "") {
        return Promise.resolve({ inputs: news, failures: [{ property: "imageName", reason: "imageName is required" }] });
      }
      if (tools.containsUnknown(news["build"])) return Promise.resolve({ inputs: news, failures: [] });
      const spec = buildSpecOf(tools.reveal(news) as Props);
      if (!fs.existsSync(spec.dockerfile)) {
        return Promise.resolve({ inputs: news, failures: [{ property: "build.dockerfile", reason: `no Dockerfile at ${spec.dockerfile}` }] });
      }
      return Promise.resolve({ inputs: { ...news, [DIGEST_KEY]: contextDigest(spec) }, failures: [] });
    },
    diff: (_type, oldInputs, news): DiffResult => {
      const keys = ["imageName", "build", "registry", "skipPush", DIGEST_KEY];
      const diffs = keys.filter((k) => JSON.stringify(oldInputs[k]) !== JSON.stringify(news[k]));
      return { diffs, replaces: [] };
    },
    create: async (_type, inputs) => {
      const outputs = await build(inputs);
      return { id: String(outputs["repoDigest"]), outputs };
    },
    update: (_type, _id, _old, news) => build(news),
    // As upstream (provider/provider.go, Read: "Return properties as passed, since we do no
    // reconciliation"): the stored state, unchanged, without asking the daemon. So `pulumi refresh` never
    // notices an image that is gone from the daemon (a `minikube delete`, an image prune), and nothing is
    // rebuilt for it; a suite that relies on "missing image means rebuild" would be lying.
    read: (_type, _id, outputs) => Promise.resolve(outputs),
    delete: () => Promise.resolve(),
  };
  return provider;
};

export default createDockerProvider;
