/**
 * The stand-in random and docker providers that pulumi-engine.sh serves to the engine, driven
 * directly (no engine needed): the lifecycle decisions the engine suite relies on.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { request } from "node:http";
import { suiteGate, takeTurnsOnHost } from "@todo/testkit";
import { afterAll, describe, expect, it } from "vitest";
import createDockerProvider, { negotiatedApiVersion } from "../stand-ins/docker-provider.ts";
import { providerTools, type Props } from "../stand-ins/provider-host.ts";
import createRandomProvider from "../stand-ins/random-provider.ts";

const PASSWORD = "random:index/randomPassword:RandomPassword";
const IMAGE = "docker:index/image:Image";

describe("random stand-in provider", () => {
  const random = createRandomProvider(providerTools);

  it("creates a secret password of the requested length and character classes", async () => {
    const { inputs, failures } = await random.check(PASSWORD, { length: 48, special: false }, {});
    expect(failures).toEqual([]);
    const { outputs } = await random.create(PASSWORD, inputs);
    const result = providerTools.reveal(outputs["result"]);
    expect(outputs["result"]).not.toBe(result); // wrapped as a secret
    expect(result).toMatch(/^[A-Za-z0-9]{48}$/);
  });

  it("keeps the value while inputs stay the same and replaces it when they change", async () => {
    const { inputs } = await random.check(PASSWORD, { length: 32, keepers: { rev: "1" } }, {});
    expect(random.diff(PASSWORD, inputs, inputs)).toEqual({ diffs: [], replaces: [] });
    const { inputs: changed } = await random.check(PASSWORD, { length: 32, keepers: { rev: "2" } }, {});
    expect(random.diff(PASSWORD, inputs, changed).replaces).toEqual(["keepers"]);
  });

  it("refuses a resource type it does not implement, saying which it does", async () => {
    const { failures } = await random.check("random:index/randomPet:RandomPet", {}, {});
    expect(failures[0]?.reason).toMatch(/supports only .*RandomPassword/);
  });
});

describe("docker stand-in provider", () => {
  const docker = createDockerProvider(providerTools);
  const context = mkdtempSync(join(tmpdir(), "docker-stand-in-"));
  afterAll(() => rmSync(context, { recursive: true, force: true }));
  mkdirSync(join(context, "src"));
  mkdirSync(join(context, "node_modules", "dep"), { recursive: true });
  writeFileSync(join(context, "Dockerfile"), "FROM scratch\nCOPY src /src\n");
  writeFileSync(join(context, ".dockerignore"), "**/node_modules\n*.md\n!KEEP.md\n");
  writeFileSync(join(context, "src", "app.js"), "console.log(1)\n");
  writeFileSync(join(context, "node_modules", "dep", "index.js"), "x\n");
  writeFileSync(join(context, "README.md"), "docs\n");
  const news: Props = { imageName: "app:1", skipPush: true, build: { context, builderVersion: "BuilderV1" } };
  const digest = async (): Promise<unknown> => (await docker.check(IMAGE, news, {})).inputs["contextDigest"];

  it("records a digest of the build context that ignores what .dockerignore excludes", async () => {
    const first = await digest();
    expect(first).toMatch(/^sha256:[0-9a-f]{64}$/);
    writeFileSync(join(context, "node_modules", "dep", "index.js"), "y\n");
    writeFileSync(join(context, "README.md"), "more docs\n");
    expect(await digest()).toBe(first);
    writeFileSync(join(context, "KEEP.md"), "kept by the ! exception\n");
    expect(await digest()).not.toBe(first);
  });

  it("prefers <Dockerfile>.dockerignore to the context's .dockerignore, as Docker does", async () => {
    const first = await digest();
    writeFileSync(join(context, "Dockerfile.dockerignore"), "src\n");
    const own = await digest();
    expect(own).not.toBe(first);
    writeFileSync(join(context, "src", "app.js"), "console.log('ignored by Dockerfile.dockerignore')\n");
    expect(await digest()).toBe(own);
    rmSync(join(context, "Dockerfile.dockerignore"));
  });

  it("diffs (and so rebuilds) only when the context or the image settings change", async () => {
    const before = (await docker.check(IMAGE, news, {})).inputs;
    expect(docker.diff(IMAGE, before, before).diffs).toEqual([]);
    writeFileSync(join(context, "src", "app.js"), "console.log(2)\n");
    const after = (await docker.check(IMAGE, news, {})).inputs;
    expect(docker.diff(IMAGE, before, after)).toEqual({ diffs: ["contextDigest"], replaces: [] });
  });

  it("fails the check when the Dockerfile is missing, naming the path", async () => {
    const { failures } = await docker.check(IMAGE, { ...news, build: { context, dockerfile: join(context, "Nope") } }, {});
    expect(failures[0]?.reason).toContain(join(context, "Nope"));
  });

  it("refuses to configure when no daemon answers, as upstream does (it pings on every command)", async () => {
    const offline = createDockerProvider(providerTools);
    const host = "unix:///nonexistent/docker-stand-in-test.sock";
    await expect(offline.configure({ host })).rejects.toThrow(`failed to connect to any docker daemon (tried ${host};`);
  });

  it("reads the stored state back unchanged without asking the daemon, as upstream does (no reconciliation)", async () => {
    const offline = createDockerProvider(providerTools);
    const stored: Props = { imageName: "app:gone", repoDigest: "sha256:0123", contextDigest: "sha256:4567", skipPush: true };
    expect(await offline.read(IMAGE, "sha256:0123", stored)).toEqual(stored);
  });

  it("negotiates the Docker API version like upstream's client: the daemon's when it is older", () => {
    expect(negotiatedApiVersion("1.41")).toBe("1.41");
    expect(negotiatedApiVersion("1.52")).toBe("1.51");
    expect(negotiatedApiVersion(undefined)).toBe("1.51");
  });
});

/** The Docker Engine API of DOCKER_HOST (unix socket), if one answers /_ping. */
function dockerApi(): { socket: string; apiVersion: string } | string {
  const host = process.env["DOCKER_HOST"] ?? "";
  if (!host.startsWith("unix://")) return "DOCKER_HOST is not a unix:// Docker API (CI: ../shared/tools/container-engine --docker-api)";
  const socket = host.slice("unix://".length);
  // a synchronous probe at collection time: the gate must decide before the tests are defined
  const probe = spawnSync(process.execPath, ["-e", `require("node:http").get({ socketPath: ${JSON.stringify(socket)}, path: "/_ping" }, (r) => { console.log(r.headers["api-version"] ?? ""); process.exit(r.statusCode === 200 ? 0 : 1); }).on("error", () => process.exit(1))`], { encoding: "utf8", timeout: 20_000 });
  if (probe.status !== 0) return `no Docker API answers at ${host}`;
  return { socket, apiVersion: probe.stdout.trim() };
}

const api = dockerApi();
const apiGate = suiteGate("pulumi-engine (docker stand-in against a Docker API)", typeof api === "string" ? api : undefined);

function apiCall(socket: string, method: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: socket, method, path }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end();
  });
}

describe.skipIf(!apiGate.ok)("docker stand-in provider against a real Docker Engine API", () => {
  takeTurnsOnHost(); // one suite at a time changes the host (packages/testkit/src/machine-lock.ts)
  const { socket, apiVersion } = api as { socket: string; apiVersion: string };
  const docker = createDockerProvider(providerTools);
  const context = mkdtempSync(join(tmpdir(), "docker-stand-in-api-"));
  const tag = `localhost/pulumi-engine-stand-in-test:${process.pid}`;
  afterAll(async () => {
    rmSync(context, { recursive: true, force: true });
    await apiCall(socket, "DELETE", `/images/${encodeURIComponent(tag)}?force=1`);
  });
  writeFileSync(join(context, "Dockerfile"), "FROM scratch\nCOPY hello.txt /hello.txt\n");
  writeFileSync(join(context, "hello.txt"), "hello\n");

  it(`builds with the classic builder over the daemon's API (${typeof api === "string" ? "?" : api.apiVersion}), then reads the state back unchanged even once the image is gone`, async () => {
    await docker.configure({ host: `unix://${socket}` });
    const inputs = (await docker.check(IMAGE, { imageName: tag, skipPush: true, build: { context, builderVersion: "BuilderV1" } }, {})).inputs;
    const { id, outputs } = await docker.create(IMAGE, inputs);
    expect(outputs["imageName"]).toBe(tag);
    expect(id).toBe(outputs["repoDigest"]);
    expect(id).toMatch(/sha256:[0-9a-f]{64}$/);
    expect(await apiCall(socket, "GET", `/v${negotiatedApiVersion(apiVersion)}/images/${encodeURIComponent(tag)}/json`)).toBe(200);

    // the image vanishes from the daemon (minikube delete, a prune): upstream's Read does not notice
    expect(await apiCall(socket, "DELETE", `/images/${encodeURIComponent(tag)}?force=1`)).toBe(200);
    expect(await apiCall(socket, "GET", `/images/${encodeURIComponent(tag)}/json`)).toBe(404);
    expect(await docker.read(IMAGE, id, outputs)).toEqual(outputs);
  }, 300_000);

  it("a build that fails at a step says which, and leaves no container behind (podman's working containers included)", async () => {
    const failing = mkdtempSync(join(tmpdir(), "docker-stand-in-api-failing-"));
    try {
      writeFileSync(join(failing, "Dockerfile"), "FROM scratch\nCOPY hello.txt /hello.txt\nRUN false\n");
      writeFileSync(join(failing, "hello.txt"), "hello\n");
      await docker.configure({ host: `unix://${socket}` });
      const before = await containers(socket);
      const inputs = (await docker.check(IMAGE, { imageName: `${tag}-failing`, skipPush: true, build: { context: failing, builderVersion: "BuilderV1" } }, {})).inputs;
      await expect(docker.create(IMAGE, inputs)).rejects.toThrow(/RUN false/);
      expect(await containers(socket)).toEqual(before);
    } finally {
      rmSync(failing, { recursive: true, force: true });
    }
  }, 300_000);
});

/**
 * Every container of the daemon behind the socket: with podman also buildah's working containers, which
 * its Docker API does not list (`podman ps --external` does).
 */
async function containers(socket: string): Promise<string[]> {
  const version = await new Promise<string>((resolve, reject) => {
    const req = request({ socketPath: socket, path: "/version" }, (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (chunk: string) => (body += chunk)).on("end", () => resolve(body));
    });
    req.on("error", reject).end();
  });
  const podman = version.includes("Podman Engine");
  const run = podman
    ? spawnSync("podman", ["ps", "--all", "--external", "--format", "{{.ID}}"], { encoding: "utf8" })
    : spawnSync("docker", ["ps", "--all", "--quiet", "--no-trunc"], { encoding: "utf8", env: { ...process.env, DOCKER_HOST: `unix://${socket}` } });
  if (run.status !== 0) throw new Error(`${podman ? "podman" : "docker"} ps failed: ${run.stderr}`);
  return run.stdout.trim().split("\n").filter(Boolean).sort();
}
