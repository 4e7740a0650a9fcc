import { fileURLToPath } from "node:url";
import { freePort, startProcess, waitForHttp, type RunningProcess } from "@todo/testkit";

const backendDir = fileURLToPath(new URL("../..", import.meta.url));

export interface ServerProcess {
  proc: RunningProcess;
  url: string;
}

/** Runs the real entry point (node src/server.ts, Node 24 strips the types) and waits for /ready. */
export async function startServerProcess(env: Record<string, string>, { waitReady = true } = {}): Promise<ServerProcess> {
  const port = await freePort();
  const proc = startProcess(process.execPath, ["src/server.ts"], {
    cwd: backendDir,
    name: "backend",
    env: {
      NODE_ENV: "test",
      LOG_LEVEL: "info",
      PORT: String(port),
      HOST: "127.0.0.1",
      BETTER_AUTH_SECRET: "process-test-secret-0123456789",
      OPENAI_API_KEY: "",
      DATABASE_URL: "",
      ...env,
    },
  });
  const url = `http://127.0.0.1:${port}`;
  if (waitReady) await waitForHttp(`${url}/ready`, { timeoutMs: 90_000, process: proc });
  return { proc, url };
}

/** Signs up over HTTP and returns the bearer header and the user id. */
export async function signUpOverHttp(url: string, name: string): Promise<{ id: string; auth: Record<string, string> }> {
  const response = await fetch(`${url}/api/auth/sign-up/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: "http://localhost:3000" },
    body: JSON.stringify({ name, email: `${name}-${Date.now().toString(36)}@example.com`, password: "correct-horse-1" }),
  });
  if (response.status !== 200) throw new Error(`sign-up failed: ${response.status} ${await response.text()}`);
  const { user } = (await response.json()) as { user: { id: string } };
  return { id: user.id, auth: { authorization: `Bearer ${response.headers.get("set-auth-token") ?? ""}` } };
}

export async function postJson(url: string, body: unknown, headers: Record<string, string>): Promise<Response> {
  return fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
}
