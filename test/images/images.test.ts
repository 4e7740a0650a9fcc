/**
 * The two real images: built from the repository root with the real Dockerfiles, run hardened
 * (read-only root, /tmp tmpfs, no capabilities, uid 10001) against a real PostgreSQL, stopped with
 * SIGTERM, rebuilt after a source-only change, and built once more through the Docker Engine API.
 *
 * Engine: `docker` when a daemon answers, else podman set up by ../shared/tools/container-engine.
 * Builds are slow on small machines: each image is built once, in the beforeAll below.
 */
import { randomBytes } from "node:crypto";
import { appendFileSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, startPostgres, suiteGate, type PostgresServer, takeTurnsOnHost } from "@todo/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stepState, stepSummary } from "./build-output.js";
import { removeContainer, startContainer, stopContainer, waitForContainer } from "./containers.js";
import { apiGet, buildThroughApi, socketPathOf } from "./docker-api.js";
import { copyContext } from "./build-context.js";
import {
  type BuildResult,
  type Engine,
  type ImageInfo,
  buildImage,
  containerEngineTool,
  detectEngine,
  engineOutput,
  healthcheckOf,
  inspectImage,
  repoRoot,
  runCommand,
} from "./container-engine.js";
import { imageContent, secretLookingEnv } from "./image-content.js";
import { startFakeOpenAI } from "../../apps/backend/test/support/fake-openai.js";

const detected = detectEngine();
const gate = suiteGate("images (podman/docker)", "missing" in detected ? detected.missing : undefined);

const MINUTE = 60_000;
const apps = ["backend", "frontend"] as const;
type App = (typeof apps)[number];
const tag = (app: App, suffix = "images-test"): string => `localhost/todo-chatbot-${app}:${suffix}`;
const dockerfile = (app: App): string => `apps/${app}/Dockerfile`;
const VERSION = "0.0.0-images-test";

describe.skipIf(!gate.ok)("container images", () => {
  takeTurnsOnHost(); // one suite at a time changes the host (packages/testkit/src/machine-lock.ts)
  const engine = detected as Engine;
  const builds = new Map<App, BuildResult>();
  const images = new Map<App, ImageInfo>();

  beforeAll(async () => {
    for (const app of apps) {
      builds.set(app, await buildImage(engine, { dockerfile: dockerfile(app), tag: tag(app), buildArgs: { VERSION } }));
      images.set(app, await inspectImage(engine, tag(app)));
    }
  }, 60 * MINUTE);

  describe.each(apps)("%s image", (app) => {
    it("runs as uid 10001 under tini with NODE_ENV=production, an exec-form CMD, a HEALTHCHECK and OCI labels", () => {
      const config = images.get(app)?.Config;
      expect(config?.User).toBe("10001:10001");
      expect(config?.Entrypoint).toEqual(["/usr/bin/tini", "-e", "143", "--"]);
      expect(config?.Env).toContain("NODE_ENV=production");
      expect(config?.Cmd?.[0]).toBe("node");
      const healthcheck = healthcheckOf(images.get(app));
      expect(healthcheck[0]).toBe("CMD");
      expect(healthcheck.join(" ")).toContain(app === "backend" ? "/health" : "/healthz");
      expect(config?.Labels?.["org.opencontainers.image.version"]).toBe(VERSION);
      expect(config?.Labels?.["org.opencontainers.image.source"]).toMatch(/^https:\/\//);
      expect(config?.Labels?.["org.opencontainers.image.title"]).toBe(`todo-chatbot-${app}`);
    });

    it("holds no secret, no build tooling and no test code", async () => {
      const info = images.get(app);
      expect(secretLookingEnv(info?.Config.Env)).toEqual([]);
      const history = await engineOutput(engine, ["history", "--no-trunc", "--format", "{{.CreatedBy}}", tag(app)]);
      expect(history).not.toMatch(/BETTER_AUTH_SECRET=|OPENAI_API_KEY=|POSTGRES_PASSWORD=|sk-[A-Za-z0-9]{16}/);
      const content = await imageContent(engine, tag(app), [`/app/apps/${app}/src`, `/app/apps/${app}/test`, "/app/.git"]);
      expect(content.secretLike).toEqual([]);
      expect(content.present).toEqual([]);
      for (const devOnly of ["typescript", "vitest", "vite", "tsx", "drizzle-kit", "playwright-core", "eslint", "@pulumi/pulumi"]) {
        expect(content.packages, `${devOnly} must not be in the runtime image`).not.toContain(devOnly);
      }
      if (app === "frontend") expect(content.packages).toContain("next");
      // one bundle (dist/server.js) holds the backend's production dependencies: no node_modules at all,
      // so neither a dev tool nor the embedded dev database (PGlite) can be in it
      else expect(content.packages).toEqual([]);
    }, 5 * MINUTE);
  });

  it("the backend image refuses to start without DATABASE_URL, and says what to set", async () => {
    const run = (env: Record<string, string>) =>
      runCommand(engine.bin, ["run", "--rm", "--network=none", ...Object.entries(env).flatMap(([k, v]) => ["-e", `${k}=${v}`]), tag("backend")], {
        timeoutMs: 2 * MINUTE,
      });
    const secret = randomBytes(32).toString("hex");
    const production = await run({ BETTER_AUTH_SECRET: secret });
    expect(production.code).toBe(1);
    expect(production.stderr).toMatch(/configuration error: .*DATABASE_URL/);
    // Outside production the backend would fall back to PGlite, which the image does not carry.
    const development = await run({ BETTER_AUTH_SECRET: secret, NODE_ENV: "development", DATA_DIR: "/tmp/data" });
    expect(development.code).toBe(1);
    expect(development.stderr).toContain("start-up failed: DATABASE_URL is not set and the embedded PGlite database is not installed here");
  }, 5 * MINUTE);

  it("the backend image carries its SQL migrations next to dist/", async () => {
    const content = await imageContent(engine, tag("backend"), ["/app/apps/backend/drizzle", "/app/apps/backend/dist/server.js"]);
    expect(content.present).toEqual(["/app/apps/backend/drizzle", "/app/apps/backend/dist/server.js"]);
    const listing = await engineOutput(engine, ["run", "--rm", "--network=none", tag("backend"), "ls", "/app/apps/backend/drizzle"]);
    const committed = readdirSync(join(repoRoot, "apps", "backend", "drizzle")).filter((f) => f.endsWith(".sql"));
    expect(committed.length).toBeGreaterThan(0);
    expect(listing.split("\n").filter((f) => f.endsWith(".sql")).sort()).toEqual(committed.sort());
  }, 5 * MINUTE);

  describe("running hardened: read-only root, /tmp tmpfs, no capabilities, uid 10001, host network", () => {
    let postgres: PostgresServer;
    const name = { backend: `todo-images-test-backend-${process.pid}`, frontend: `todo-images-test-frontend-${process.pid}` };
    let backendUrl = "";
    let frontendUrl = "";
    // the model: asked to add a task, it calls add_task; given the tool's result, it confirms
    let model: Awaited<ReturnType<typeof startFakeOpenAI>> | undefined;

    beforeAll(async () => {
      model = await startFakeOpenAI((request) =>
        request.messages.at(-1)?.role === "tool"
          ? { text: "Added it." }
          : { tool: { name: "add_task", arguments: { title: "Buy groceries (image test)" } } },
      );
      postgres = await startPostgres();
      const databaseUrl = await postgres.createDatabase();
      const [backendPort, frontendPort] = [await freePort(), await freePort()];
      backendUrl = `http://127.0.0.1:${backendPort}`;
      frontendUrl = `http://127.0.0.1:${frontendPort}`;
      await startContainer(engine, {
        name: name.backend,
        image: tag("backend"),
        env: {
          PORT: String(backendPort),
          DATABASE_URL: databaseUrl,
          BETTER_AUTH_SECRET: randomBytes(32).toString("hex"),
          PUBLIC_URL: frontendUrl,
          LOG_LEVEL: "warn",
          OPENAI_API_KEY: "fake-images-suite-key",
          OPENAI_BASE_URL: model.baseUrl,
          OPENAI_MODEL: "fake-model",
        },
      });
      await startContainer(engine, {
        name: name.frontend,
        image: tag("frontend"),
        env: { PORT: String(frontendPort), BACKEND_URL: backendUrl },
      });
      await waitForContainer(engine, name.backend, `${backendUrl}/health`);
      await waitForContainer(engine, name.backend, `${backendUrl}/ready`);
      await waitForContainer(engine, name.frontend, `${frontendUrl}/healthz`);
    }, 5 * MINUTE);

    afterAll(async () => {
      for (const container of Object.values(name)) await removeContainer(engine, container);
      postgres?.destroy();
      await model?.close();
    }, 2 * MINUTE);

    it("the backend is live and ready: migrations applied to an empty database", async () => {
      const health = await fetch(`${backendUrl}/health`);
      expect(health.status).toBe(200);
      const ready = await fetch(`${backendUrl}/ready`);
      expect(ready.status).toBe(200);
    });

    it("the frontend answers /healthz and renders its first page", async () => {
      expect((await fetch(`${frontendUrl}/healthz`)).status).toBe(200);
      const page = await fetch(`${frontendUrl}/`);
      expect(page.status).toBeLessThan(400);
      expect(await page.text()).toMatch(/<html/i);
    });

    const headers = () => ({ "content-type": "application/json", origin: frontendUrl });
    /** Signs up through the frontend's proxy; returns the user id and the session cookie. */
    async function signUp(label: string): Promise<{ id: string; cookie: string }> {
      const response = await fetch(`${frontendUrl}/api/auth/sign-up/email`, {
        method: "POST",
        headers: headers(),
        body: JSON.stringify({ email: `image-${label}-${Date.now()}@example.test`, password: "image-test-password-1", name: "Image Test" }),
      });
      expect(response.status, await response.clone().text()).toBe(200);
      const { user } = (await response.json()) as { user: { id: string } };
      const cookie = response.headers
        .getSetCookie()
        .map((c) => c.split(";")[0])
        .join("; ");
      expect(cookie).not.toBe("");
      return { id: user.id, cookie };
    }

    it("the frontend proxies /api to the backend: sign up, add a task, list it", async () => {
      const unauthenticated = await fetch(`${frontendUrl}/api/someone/tasks`);
      expect(unauthenticated.status).toBe(401);
      expect(await unauthenticated.json()).toMatchObject({ error: { code: expect.any(String) } });

      const { id, cookie } = await signUp("proxy");
      const user = { id };

      const created = await fetch(`${frontendUrl}/api/${user.id}/tasks`, {
        method: "POST",
        headers: { ...headers(), cookie },
        body: JSON.stringify({ title: "buy milk (image test)" }),
      });
      expect(created.status, await created.clone().text()).toBeLessThan(300);
      const list = await fetch(`${frontendUrl}/api/${user.id}/tasks`, { headers: { cookie, origin: frontendUrl } });
      expect(list.status).toBe(200);
      expect(JSON.stringify(await list.json())).toContain("buy milk (image test)");
    }, MINUTE);

    it("the bundled agent: a chat turn reaches the model, whose add_task call really adds the task", async () => {
      const { id, cookie } = await signUp("chat");
      const chat = await fetch(`${frontendUrl}/api/${id}/chat`, {
        method: "POST",
        headers: { ...headers(), cookie },
        body: JSON.stringify({ message: "Add a task to buy groceries" }),
      });
      expect(chat.status, await chat.clone().text()).toBe(200);
      const reply = (await chat.json()) as { response: string; tool_calls: { name: string }[] };
      expect(reply.response).toBe("Added it.");
      expect(reply.tool_calls.map((call) => call.name)).toEqual(["add_task"]);
      expect(model?.requests[0]?.model).toBe("fake-model");
      expect(model?.requests[0]?.tools?.map((tool) => tool.function.name).sort()).toEqual([
        "add_task",
        "complete_task",
        "delete_task",
        "list_tasks",
        "update_task",
      ]);
      const list = await fetch(`${frontendUrl}/api/${id}/tasks`, { headers: { cookie, origin: frontendUrl } });
      expect((await list.json()) as { title: string }[]).toEqual([expect.objectContaining({ title: "Buy groceries (image test)" })]);
    }, MINUTE);

    it("each image's own HEALTHCHECK command passes inside the running container", async () => {
      for (const app of apps) {
        const test = healthcheckOf(images.get(app));
        expect(test[0]).toBe("CMD");
        const result = await runCommand(engine.bin, ["exec", name[app], ...test.slice(1)]);
        expect(result.code, `${app} healthcheck: ${result.stderr}`).toBe(0);
      }
    }, MINUTE);

    it("SIGTERM: each container drains and exits 0 by itself (the engine would SIGKILL after 10 s, exit 137)", async () => {
      expect(await stopContainer(engine, name.frontend, 10)).toBe(0);
      expect(await stopContainer(engine, name.backend, 10)).toBe(0);
    }, 2 * MINUTE);
  });

  describe("rebuild after a source-only change", () => {
    let copy = "";
    const rebuildTag = tag("backend", "images-test-rebuild");
    afterAll(async () => {
      if (copy) rmSync(copy, { recursive: true, force: true });
      await runCommand(engine.bin, ["rmi", "-f", rebuildTag]);
    });

    it("keeps the dependency layers from cache and rebuilds only the code", async () => {
      // a copy of the context exactly as the daemon receives it: built once as is, then with one
      // source file changed
      copy = mkdtempSync(join(tmpdir(), "todo-images-context-"));
      copyContext(repoRoot, copy, dockerfile("backend"));
      const request = { context: copy, dockerfile: dockerfile("backend"), tag: rebuildTag, buildArgs: { VERSION } };
      await buildImage(engine, request);
      const before = (await inspectImage(engine, rebuildTag)).RootFS.Layers ?? [];

      // a statement, not a comment: the bundler drops comments, and the image would not change
      appendFileSync(join(copy, "apps", "backend", "src", "server.ts"), `\nprocess.title ||= "images test ${Date.now()}";\n`);
      const rebuilt = await buildImage(engine, request);
      const steps = stepSummary(rebuilt.output);
      expect(stepState(rebuilt.output, "RUN npm ci --workspace @todo/backend"), steps).toBe("cached");
      expect(stepState(rebuilt.output, "RUN npm run build --workspace @todo/backend"), steps).toBe("ran");

      const after = (await inspectImage(engine, rebuildTag)).RootFS.Layers ?? [];
      const firstDifferent = after.findIndex((layer, i) => layer !== before[i]);
      // every layer up to the bundle is the same (base, tini, manifest, migrations); only the last
      // one, dist/, is new (stages may interleave in the log, layers do not)
      expect(firstDifferent).toBe(after.length - 1);
      expect(after.length).toBe(before.length);
    }, 30 * MINUTE);
  });

  describe("through the Docker Engine API (the path @pulumi/docker takes)", () => {
    const apiTag = tag("backend", "images-test-api");
    afterAll(async () => {
      await runCommand(engine.bin, ["rmi", "-f", apiTag]);
    });

    it("builds the backend with the classic builder from a tar of the context", async () => {
      let dockerHost = process.env.DOCKER_HOST ?? "unix:///var/run/docker.sock";
      if (engine.kind === "podman") {
        const served = await runCommand(containerEngineTool(), ["--docker-api"], { timeoutMs: 2 * MINUTE });
        expect(served.code, served.stderr).toBe(0);
        dockerHost = served.stdout.trim().split("\n").at(-1) ?? "";
      }
      const socket = socketPathOf(dockerHost);
      const build = await buildThroughApi(socket, {
        context: repoRoot,
        dockerfile: dockerfile("backend"),
        tag: apiTag,
        buildArgs: { NODE_IMAGE: engine.baseImage, VERSION: "0.0.0-api" },
      });
      expect(build.log).toMatch(/Successfully (built|tagged)|COMMIT/);
      const { status, body } = await apiGet<ImageInfo>(socket, `/images/${encodeURIComponent(apiTag)}/json`);
      expect(status).toBe(200);
      expect(body.Config.User).toBe("10001:10001");
      expect(body.Config.Labels?.["org.opencontainers.image.version"]).toBe("0.0.0-api");
      // podman's Docker API leaves the healthcheck out of its answer; the engine's own inspect has it
      expect(healthcheckOf(await inspectImage(engine, apiTag)).join(" ")).toContain("/health");
    }, 30 * MINUTE);
  });
});
