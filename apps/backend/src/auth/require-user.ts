import { createMiddleware } from "hono/factory";
import type { Database } from "../db/database.ts";
import { ApiError } from "../http/errors.ts";
import type { AppEnv } from "../http/app-env.ts";
import type { Auth } from "./auth.ts";
import { credentialOf, type FoundSession, type SessionCache } from "./session-cache.ts";

/**
 * Resolves the caller from the session cookie or `Authorization: Bearer <token>`; 401 without one.
 * When a {user_id} path parameter is present it must be the caller: 403 otherwise.
 */
export function requireUser(auth: Auth, database: Database, cache: SessionCache) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const headers = c.req.raw.headers;
    const lookup = async (): Promise<FoundSession | undefined> => {
      let found: Awaited<ReturnType<Auth["api"]["getSession"]>>;
      try {
        found = await auth.api.getSession({ headers });
      } catch (error) {
        await database.ping(); // throws (-> 503) when the database is the reason
        throw error;
      }
      if (!found) return undefined;
      return { user: { id: found.user.id, email: found.user.email, name: found.user.name }, session: { id: found.session.id, expiresAt: new Date(found.session.expiresAt) } };
    };
    const credential = credentialOf(headers);
    const user = credential === undefined ? (await lookup())?.user : await cache.resolve(credential, lookup);
    if (!user) {
      // Better Auth answers "no session" when it cannot read the session table; tell those apart.
      if (c.req.header("authorization") || c.req.header("cookie")) await database.ping();
      throw new ApiError(401, "unauthorized", "sign in first: send the session cookie or Authorization: Bearer <token>");
    }
    c.set("user", user);
    return checkPathUser(c.req.param("user_id"), user.id, next);
  });
}

async function checkPathUser(pathUser: string | undefined, callerId: string, next: () => Promise<void>): Promise<void> {
  if (pathUser !== undefined && pathUser !== callerId) {
    throw new ApiError(403, "forbidden", "the user id in the path is not the signed-in user");
  }
  await next();
}
