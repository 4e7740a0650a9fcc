/**
 * The stand-in random and docker providers that pulumi-engine.sh serves to the engine, driven
 * directly (no engine needed): the lifecycle decisions the engine suite relies on.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import createDockerProvider from "../stand-ins/docker-provider.ts";
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
});
