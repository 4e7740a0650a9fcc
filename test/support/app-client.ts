/**
 * The app as a browser uses it, over HTTP through the frontend's /api proxy: sign up (Better Auth wants an
 * Origin it trusts), add a task, list the tasks. Shared by the suites that reach a deployed frontend.
 * The bodies are typed by the backend's own contract.
 */
import type { Task } from "@todo/backend/contract";
export interface Session {
  userId: string;
  cookie: string;
}

const PASSWORD = "a-long-test-passphrase-7731";

function headers(base: string, cookie?: string): Record<string, string> {
  return { "content-type": "application/json", origin: base, ...(cookie ? { cookie } : {}) };
}

async function ok(response: Response, what: string): Promise<Response> {
  if (response.status >= 300) throw new Error(`${what}: HTTP ${response.status}: ${(await response.text()).slice(0, 500)}`);
  return response;
}

export async function signUp(base: string, email = `user-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.test`): Promise<Session & { email: string }> {
  const response = await ok(
    await fetch(`${base}/api/auth/sign-up/email`, {
      method: "POST",
      headers: headers(base),
      body: JSON.stringify({ email, password: PASSWORD, name: "Cluster Test" }),
      signal: AbortSignal.timeout(20_000),
    }),
    `sign-up through ${base}`,
  );
  const { user } = (await response.json()) as { user: { id: string } };
  const cookie = response.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  return { userId: user.id, cookie, email };
}

/** One sign-in attempt through `base`, whatever its answer: for tests of refused sign-ins. */
export async function signInAttempt(base: string, email: string, password = PASSWORD, extraHeaders: Record<string, string> = {}): Promise<Response> {
  return await fetch(`${base}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { ...headers(base), ...extraHeaders },
    body: JSON.stringify({ email, password }),
    signal: AbortSignal.timeout(20_000),
  });
}

export async function signIn(base: string, email: string): Promise<Session> {
  const response = await ok(await signInAttempt(base, email), `sign-in through ${base}`);
  const { user } = (await response.json()) as { user: { id: string } };
  return { userId: user.id, cookie: response.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ") };
}

export async function addTask(base: string, session: Session, title: string): Promise<void> {
  await ok(
    await fetch(`${base}/api/${session.userId}/tasks`, {
      method: "POST",
      headers: headers(base, session.cookie),
      body: JSON.stringify({ title }),
      signal: AbortSignal.timeout(20_000),
    }),
    `adding a task through ${base}`,
  );
}

/** The titles of the user's tasks. */
export async function taskTitles(base: string, session: Session): Promise<string[]> {
  const response = await ok(
    await fetch(`${base}/api/${session.userId}/tasks`, { headers: headers(base, session.cookie), signal: AbortSignal.timeout(20_000) }),
    `listing tasks through ${base}`,
  );
  return ((await response.json()) as Task[]).map((task) => task.title);
}

export async function signUpAndAddTask(base: string, title: string): Promise<{ title: string }[]> {
  const session = await signUp(base);
  await addTask(base, session, title);
  return (await taskTitles(base, session)).map((t) => ({ title: t }));
}
