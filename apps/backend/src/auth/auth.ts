import { betterAuth } from "better-auth";
import { APIError, createAuthMiddleware } from "better-auth/api";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { bearer } from "better-auth/plugins/bearer";
import type { Db } from "../db/database.ts";
import { account, rateLimit, session, user, verification } from "../db/schema/auth.ts";
import type { Logger } from "../logger.ts";
import { hasNoNul, NO_NUL_MESSAGE } from "../http/text.ts";
import { betterAuthLogger } from "./auth-logger.ts";
import { passwordProblem } from "./password-policy.ts";
import { trustedOriginsFor } from "./trusted-origins.ts";

export interface AuthOptions {
  db: Db;
  secret: string;
  publicUrl: string;
  trustedOrigins: readonly string[];
  logger: Logger;
}

/**
 * Better Auth's per-address limiter, on in every NODE_ENV (Better Auth turns it on only in
 * production), counting in the database so all replicas share the counts. The address is the
 * X-Forwarded-For the frontend's proxy sets; a request without one shares a single bucket. Brute
 * force against one account is stopped by the per-account throttle (sign-in-throttle.ts) instead, so
 * these per-address limits stay loose enough for many users behind one address (Minikube's NodePort
 * rewrites every browser to a node address). get-session is a read like every REST route: not limited,
 * so anonymous checks cannot use up signed-in users' budget.
 */
export const AUTH_RATE_LIMIT = {
  enabled: true,
  storage: "database",
  window: 10,
  max: 100,
  customRules: {
    "/get-session": false,
    "/sign-in/*": { window: 60, max: 30 },
    "/sign-up/*": { window: 60, max: 10 },
  },
} as const;

/**
 * Runs before every Better Auth endpoint: a NUL character in any text field answers 400 naming the
 * field (PostgreSQL text cannot hold one: it was a 500), and sign-up refuses a blank name and blank,
 * one-character and common passwords, saying why. Errors keep Better Auth's {code, message} shape.
 */
const checkAuthInput = createAuthMiddleware(async (ctx) => {
  const body: unknown = ctx.body;
  if (typeof body !== "object" || body === null) return;
  const fields = body as Record<string, unknown>;
  for (const [field, value] of Object.entries(fields)) {
    if (typeof value === "string" && !hasNoNul(value)) throw new APIError("BAD_REQUEST", { code: "INVALID_INPUT", message: `${field}: ${NO_NUL_MESSAGE}` });
  }
  if (ctx.path !== "/sign-up/email") return;
  if (typeof fields.name === "string" && fields.name.trim() === "") throw new APIError("BAD_REQUEST", { code: "INVALID_INPUT", message: "name: must not be empty" });
  if (typeof fields.password !== "string") return;
  const problem = passwordProblem(fields.password, typeof fields.email === "string" ? fields.email : undefined);
  if (problem) throw new APIError("BAD_REQUEST", { code: "PASSWORD_TOO_WEAK", message: `password: ${problem}` });
});

/** Where Better Auth serves its routes (/api/auth/sign-in/email, ...). */
export const AUTH_BASE_PATH = "/api/auth";

/** Better Auth: email + password, session cookies, and `set-auth-token` bearer tokens. */
export function createAuth({ db, secret, publicUrl, trustedOrigins, logger }: AuthOptions) {
  return betterAuth({
    appName: "Todo Chatbot",
    baseURL: publicUrl,
    basePath: AUTH_BASE_PATH,
    secret,
    // transaction: sign-up's user row, password (account row) and session commit together or not at
    // all, so a sign-up failing half-way does not leave an email that can never sign in
    database: drizzleAdapter(db, { provider: "pg", schema: { user, session, account, verification, rateLimit }, transaction: true }),
    emailAndPassword: { enabled: true, autoSignIn: true, minPasswordLength: 8 },
    plugins: [bearer()],
    hooks: { before: checkAuthInput },
    trustedOrigins: (request) => trustedOriginsFor(request, publicUrl, trustedOrigins),
    telemetry: { enabled: false },
    rateLimit: AUTH_RATE_LIMIT,
    // Better Auth skips the Origin check when NODE_ENV=test; keep it on everywhere so tests see production.
    advanced: { disableOriginCheck: false },
    logger: betterAuthLogger(logger),
    // errors that are not Better Auth's own answers (a failing query) reach the app's error handler
    // instead of better-call's console.error dump: 503 when the database is down, else 500, both in
    // the app's error shape and logged as one redacted JSON line
    onAPIError: { throw: true },
  });
}

export type Auth = ReturnType<typeof createAuth>;
