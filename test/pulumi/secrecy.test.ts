import { describe, expect, it } from "vitest";
import { SECRET_CHECKSUM_ANNOTATION } from "../../stack/release/names";
import { at, backendPodAnnotations, isSecretWrapper, plainStrings, runProgram } from "../support/pulumi-mocks";

const OPENAI_KEY = "fake-test-openai-key-1234567890abcdef";
const DATABASE_URL = "postgres://neon_user:NeonPassw0rdXyz@ep-cool-lake.eu-central-1.aws.neon.tech/todo?sslmode=require";

describe("secrets with an OpenAI key and an external database", async () => {
  const run = await runProgram({
    config: { openaiApiKey: OPENAI_KEY, databaseUrl: DATABASE_URL },
    secretKeys: ["openaiApiKey", "databaseUrl"],
  });
  const secret = run.one("kubernetes:core/v1:Secret");
  const generated = run.byType("random:index/randomPassword:RandomPassword").map((p) => `Gen${p.name.replace(/[^A-Za-z0-9]/g, "")}Pw9x`);
  const secretValues = [OPENAI_KEY, DATABASE_URL, ...generated];

  it("puts the config secrets and the generated auth secret in the one Kubernetes Secret", () => {
    expect(at(secret.inputs, "stringData")).toEqual({
      BETTER_AUTH_SECRET: generated[0],
      OPENAI_API_KEY: OPENAI_KEY,
      DATABASE_URL: DATABASE_URL,
    });
  });

  it("marks the Secret's data secret (encrypted in state, hidden in previews)", () => {
    expect(isSecretWrapper(secret.inputs.stringData)).toBe(true);
  });

  it("never passes a secret value as a plain string to any resource", () => {
    expect(generated).toHaveLength(1); // external database: no PostgreSQL password is generated
    for (const resource of run.resources) {
      const plain = plainStrings(resource.inputs);
      for (const value of secretValues) {
        expect(plain.filter((s) => s.includes(value)), `${resource.type} ${resource.name}`).toEqual([]);
      }
    }
  });

  it("never exports a secret value", () => {
    const exported = JSON.stringify(run.outputs);
    for (const value of secretValues) expect(exported).not.toContain(value);
  });

  it("turns the in-cluster PostgreSQL off and opens the backend's LLM egress", () => {
    const values = run.one("kubernetes:helm.sh/v4:Chart").inputs.values;
    expect(at(values, "postgresql.enabled")).toBe(false);
    expect(at(values, "networkPolicy.llmEgress")).toBe(true);
  });

  it("rolls the backend when a secret changes, through a checksum that reveals nothing", async () => {
    const before = await backendPodAnnotations(run);
    const value = String(before[SECRET_CHECKSUM_ANNOTATION]);
    expect(value).toMatch(/^[0-9a-f]{32}$/);
    for (const secretValue of secretValues) expect(value).not.toContain(secretValue);
    const other = await runProgram({
      config: { openaiApiKey: `${OPENAI_KEY}-rotated`, databaseUrl: DATABASE_URL },
      secretKeys: ["openaiApiKey", "databaseUrl"],
    });
    const after = await backendPodAnnotations(other);
    expect(after[SECRET_CHECKSUM_ANNOTATION]).toMatch(/^[0-9a-f]{32}$/);
    expect(after[SECRET_CHECKSUM_ANNOTATION]).not.toBe(value);
  });
});

describe("generated passwords on the default stack", async () => {
  const run = await runProgram();
  it("stay secret wherever they are used, and never reach an export", () => {
    const generated = run.byType("random:index/randomPassword:RandomPassword").map((p) => `Gen${p.name.replace(/[^A-Za-z0-9]/g, "")}Pw9x`);
    expect(generated).toHaveLength(2);
    for (const resource of run.resources.filter((r) => !r.type.startsWith("random:"))) {
      const plain = plainStrings(resource.inputs);
      for (const value of generated) expect(plain.filter((s) => s.includes(value)), resource.type).toEqual([]);
    }
    for (const value of generated) expect(JSON.stringify(run.outputs)).not.toContain(value);
  });
});

describe("a secret key stored in plain text", () => {
  it("fails naming the key and the command that encrypts it", async () => {
    await expect(runProgram({ config: { openaiApiKey: OPENAI_KEY }, secretKeys: [] })).rejects.toThrow(
      /todo-chatbot:openaiApiKey is stored in plain text.*pulumi config set --secret openaiApiKey/s,
    );
  });
});
