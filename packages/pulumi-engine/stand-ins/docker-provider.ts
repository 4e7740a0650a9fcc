// Stand-in for the `docker` resource provider's Image resource (served by provider-host.ts), with the
// token, inputs and outputs of @pulumi/docker's `docker.Image`. It builds for real, through the Docker
// Engine API at the provider's `host` (or DOCKER_HOST): the build context is sent as a tar archive that
// honours `<Dockerfile>.dockerignore` or else .dockerignore, with the classic builder (`builderVersion: BuilderV1`) or BuildKit (`BuilderBuildKit`).
// Like the upstream provider it records a digest of the build context, so an unchanged context means no
// diff and no rebuild. Not implemented: pushing to a registry (only `skipPush: true`), cacheFrom, the
// other docker resources; `pulumi destroy` leaves the built image in the engine's store, as upstream does.
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

function request(endpoint: Endpoint, method: string, apiPath: string, body?: fs.ReadStream): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { ...endpoint, method, path: apiPath, headers: body ? { "Content-Type": "application/x-tar" } : {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.on("error", (err) => reject(new Error(`docker stand-in provider: cannot reach the Docker API: ${err.message}`)));
    if (body) body.pipe(req);
    else req.end();
  });
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

  async function inspect(imageName: string): Promise<{ Id: string; RepoDigests?: string[] } | undefined> {
    const res = await request(endpointOf(dockerHost), "GET", `/images/${encodeURIComponent(imageName)}/json`);
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw new Error(`docker stand-in provider: inspecting ${imageName}: ${res.status} ${res.text}`);
    return JSON.parse(res.text) as { Id: string };
  }

  async function build(inputs: Props): Promise<Props> {
    const plain = tools.reveal(inputs) as Props;
    const imageName = String(plain["imageName"]);
    if (plain["skipPush"] !== true) {
      throw new Error(`docker stand-in provider: ${imageName}: pushing is not supported here; set skipPush: true`);
    }
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
        rm: "1",
      });
      if (spec.target) query.set("target", spec.target);
      if (spec.platform) query.set("platform", spec.platform);
      if (spec.network) query.set("networkmode", spec.network);
      const res = await request(endpointOf(dockerHost), "POST", `/build?${query.toString()}`, fs.createReadStream(tarFile));
      const log: string[] = [];
      for (const line of res.text.split("\n").filter(Boolean)) {
        const message = JSON.parse(line) as { stream?: string; error?: string };
        if (message.stream) log.push(message.stream.trimEnd());
        if (message.error) throw new Error(`docker build of ${imageName} failed: ${message.error}\n${log.slice(-20).join("\n")}`);
      }
      if (res.status !== 200) throw new Error(`docker build of ${imageName} failed: ${res.status} ${res.text}`);
    } finally {
      fs.rmSync(workDir, { recursive: true, force: true });
    }
    const image = await inspect(imageName);
    if (!image) throw new Error(`docker stand-in provider: ${imageName} was built but the Docker API does not list it`);
    return {
      ...inputs,
      imageName,
      baseImageName: imageName,
      context: spec.context,
      dockerfile: spec.dockerfile,
      platform: spec.platform,
      registryServer: "",
      repoDigest: image.RepoDigests?.[0] ?? image.Id,
    };
  }

  const provider: StandInProvider = {
    configure: (config) => {
      if (typeof config["host"] === "string" && config["host"] !== "") dockerHost = config["host"];
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
    read: async (_type, _id, outputs) => ((await inspect(String(outputs["imageName"]))) ? outputs : undefined),
    delete: () => Promise.resolve(),
  };
  return provider;
};

export default createDockerProvider;
