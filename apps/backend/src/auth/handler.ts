import type { Context } from "hono";
import type { Database } from "../db/database.ts";
import type { AppEnv } from "../http/app-env.ts";
import { sendError } from "../http/errors.ts";
import { AUTH_BASE_PATH, type Auth } from "./auth.ts";
import { credentialOf, type SessionCache } from "./session-cache.ts";
import type { SignInThrottle } from "./sign-in-throttle.ts";

export interface AuthHandlerDeps {
  auth: Auth;
  database: Database;
  sessions: SessionCache;
  throttle: SignInThrottle;
}

/** The email a sign-in body names, when it is JSON with a string `email`; Better Auth validates the rest. */
async function emailOf(request: Request): Promise<string | undefined> {
  try {
    const body: unknown = await request.clone().json();
    const email = typeof body === "object" && body !== null && "email" in body ? body.email : undefined;
    return typeof email === "string" && email.trim() !== "" ? email : undefined;
  } catch {
    return undefined;
  }
}

/** The paths {@link authHandler} answers (GET and POST), taken before routing (app.ts). */
export const AUTH_PREFIX = `${AUTH_BASE_PATH}/`;

/**
 * /api/auth/*: Better Auth behind the app's own guards — the per-account sign-in throttle, the
 * session cache forgetting a signed-out session, 503 (not 500) while the database is down, and a
 * standard Retry-After on Better Auth's per-address 429 (it sends only X-Retry-After).
 */
export function authHandler({ auth, database, sessions, throttle }: AuthHandlerDeps) {
  /**
   * Better Auth turns some failing queries into its own 500 (e.g. get-session's lookup). When the
   * database is the reason, the ping throws and the app's error handler answers 503 in the app's
   * error shape, with Retry-After, like every other route.
   */
  const handle = async (request: Request): Promise<Response> => {
    const response = await auth.handler(request);
    if (response.status >= 500) await database.ping();
    return withRetryAfter(response);
  };

  /** Sign-out forgets the session in the cache, whichever spelling of its credential was cached. */
  const signOut = async (request: Request): Promise<Response> => {
    const credential = credentialOf(request.headers);
    const cached = credential === undefined ? undefined : sessions.get(credential);
    const sessionId = cached?.sessionId ?? (credential === undefined ? undefined : (await auth.api.getSession({ headers: request.headers }))?.session.id);
    const response = await handle(request);
    if (sessionId !== undefined && response.ok) sessions.forgetSession(sessionId);
    return response;
  };

  return async (c: Context<AppEnv>): Promise<Response> => {
    const request = c.req.raw;
    const path = c.req.path;
    if (request.method === "POST" && path === `${AUTH_BASE_PATH}/sign-in/email`) {
      const email = await emailOf(request);
      if (email !== undefined) {
        const verdict = await throttle.attempt(email);
        if (!verdict.allowed) {
          c.header("Retry-After", String(verdict.retryAfterSeconds));
          return sendError(c, 429, "too_many_attempts", `too many sign-in attempts for this account; try again in ${verdict.retryAfterSeconds} s`);
        }
        const response = await handle(request);
        if (response.status === 200) await throttle.succeeded(email);
        return response;
      }
    }
    if (request.method === "POST" && path === `${AUTH_BASE_PATH}/sign-out`) return signOut(request);
    return handle(request);
  };
}

function withRetryAfter(response: Response): Response {
  const seconds = response.status === 429 ? response.headers.get("x-retry-after") : null;
  if (seconds === null) return response;
  const copy = new Response(response.body, response);
  copy.headers.set("Retry-After", seconds);
  return copy;
}
