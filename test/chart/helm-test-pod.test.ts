import { execFile } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "@todo/testkit";
import { podTemplates, renderChart } from "../support/chart/index.js";
import { helmGate } from "./gate.js";

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the test Pod's command (node -e <script>) here, against the given URLs. */
function runScript(script: string, frontendUrl: string, backendUrl: string): Promise<Outcome> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ["-e", script],
      { encoding: "utf8", timeout: 30_000, env: { PATH: process.env.PATH ?? "", FRONTEND_URL: frontendUrl, BACKEND_URL: backendUrl, ATTEMPTS: "2" } },
      (error, stdout, stderr) => done({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

describe.skipIf(!helmGate.ok)("the helm test Pod's check", () => {
  let script = "";
  let server: Server;
  let base = "";
  let backendReady = true;

  beforeAll(async () => {
    const pod = podTemplates((await renderChart({ valueSet: "default" })).objects).find((candidate) => candidate.owner.startsWith("Pod/"));
    const container = pod?.spec.containers[0];
    expect(container?.command).toEqual(["node", "-e"]);
    script = container?.args?.[0] ?? "";
    server = createServer((request, response) => {
      const status = request.url === "/healthz" ? 200 : request.url === "/ready" ? (backendReady ? 200 : 503) : 404;
      response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ status }));
    });
    await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((closed) => server.close(() => closed())));

  it("passes when frontend /healthz and backend /ready answer 200", async () => {
    backendReady = true;
    const outcome = await runScript(script, `${base}/healthz`, `${base}/ready`);
    expect(outcome.stderr).toBe("");
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toContain(`ok   frontend ${base}/healthz -> 200`);
    expect(outcome.stdout).toContain(`ok   backend ${base}/ready -> 200`);
  });

  it("fails naming the backend when /ready answers 503", async () => {
    backendReady = false;
    const outcome = await runScript(script, `${base}/healthz`, `${base}/ready`);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain(`FAIL backend ${base}/ready: HTTP 503`);
  });

  it("fails naming the frontend when nothing listens", async () => {
    const closed = `http://127.0.0.1:${await freePort()}/healthz`;
    const outcome = await runScript(script, closed, `${base}/ready`);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain(`FAIL frontend ${closed}: Error: connect ECONNREFUSED`);
  });
});
