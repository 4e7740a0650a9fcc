import { randomBytes } from "node:crypto";
import { freePort, startProcess, waitForHttp, type RunningProcess } from "@todo/testkit";
import { backendDir, backendServer, frontendDir, standaloneServer } from "./builds.ts";

export interface Server {
  readonly url: string;
  readonly port: number;
  readonly process: RunningProcess;
}

export interface StartOptions {
  /** listen here instead of on a free port */
  port?: number;
  /** more environment (e.g. the frontend's limits, see src/config/env.ts) */
  env?: Record<string, string>;
}

/** The built standalone frontend (what `npm start -w apps/frontend` and the image run). */
export async function startFrontend(backendUrl: string, options: StartOptions = {}): Promise<Server> {
  const listen = options.port ?? (await freePort());
  const proc = startProcess(process.execPath, [standaloneServer], {
    cwd: frontendDir,
    name: "frontend",
    env: { PORT: String(listen), HOSTNAME: "127.0.0.1", BACKEND_URL: backendUrl, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production", ...options.env },
  });
  const url = `http://127.0.0.1:${listen}`;
  await waitForHttp(`${url}/healthz`, { process: proc, timeoutMs: 30_000 });
  return { url, port: listen, process: proc };
}

/** The real backend (apps/backend/dist/server.js) on a real PostgreSQL database. */
export async function startBackend(databaseUrl: string, publicUrl: string, options: Omit<StartOptions, "port"> = {}): Promise<Server> {
  const port = await freePort();
  const proc = startProcess(process.execPath, [backendServer], {
    cwd: backendDir,
    name: "backend",
    env: {
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      PUBLIC_URL: publicUrl,
      BETTER_AUTH_SECRET: randomBytes(32).toString("hex"),
      OPENAI_API_KEY: undefined,
      LOG_LEVEL: "warn",
      CHAT_RATE_LIMIT_PER_MINUTE: "1000",
      ...options.env,
    },
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/ready`, { process: proc, timeoutMs: 60_000 });
  return { url, port, process: proc };
}
