import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../http/app-env.ts";
import { ErrorBody } from "../http/errors.ts";

// Better Auth serves /api/auth/* itself (auth.ts); these entries describe the routes this app relies
// on, so /openapi.json covers the whole API. The backend tests check them against the real routes.

const AuthUser = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    emailVerified: z.boolean(),
    image: z.string().nullable().optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("AuthUser");

const SignUpEmail = z
  .object({
    name: z.string().min(1).openapi({ description: "not empty" }),
    email: z.email(),
    password: z.string().min(8).max(128).openapi({
      description: "8 to 128 characters; not only whitespace, not one repeated character, not the email, not one of the most common passwords",
    }),
    image: z.string().optional(),
    callbackURL: z.string().optional(),
    rememberMe: z.boolean().optional(),
  })
  .openapi("SignUpEmail");

const SignInEmail = z
  .object({
    email: z.email(),
    password: z.string(),
    rememberMe: z.boolean().optional(),
    callbackURL: z.string().optional(),
  })
  .openapi("SignInEmail");

const SignedIn = z.object({ token: z.string(), user: AuthUser }).openapi("SignedIn");

/** Better Auth's own error body (not this API's `{error: {...}}` shape). */
const AuthError = z.object({ code: z.string().optional(), message: z.string() }).openapi("AuthError");

const session = {
  headers: z.object({
    "set-auth-token": z.string().openapi({ description: "a bearer token for `Authorization: Bearer …` (bearer plugin)" }),
    "set-cookie": z.string().openapi({ description: "the session cookie" }),
  }),
};
const json = <T extends z.ZodType>(schema: T) => ({ "application/json": { schema } });
/** Better Auth reads JSON and form bodies alike (better-call's allowed media types). */
const bodyOf = <T extends z.ZodType>(schema: T) => ({ "application/json": { schema }, "application/x-www-form-urlencoded": { schema } });
const ORIGIN_NOTE = "State-changing requests need an `Origin` the backend trusts (PUBLIC_URL, TRUSTED_ORIGINS or the forwarded host).";

/** The answers every auth route may give besides its own; Better Auth's in its shape, the app's in the app's. */
const refusals = {
  400: { description: "invalid body (Better Auth's VALIDATION_ERROR, INVALID_EMAIL, PASSWORD_TOO_SHORT/LONG, PASSWORD_TOO_WEAK; a NUL character names the field)", content: json(AuthError) },
  403: { description: "the Origin is not trusted", content: json(AuthError) },
  415: { description: "the body is neither JSON nor a form", content: json(AuthError) },
  429: {
    description:
      "too many requests: Better Auth's per-address limit (`{message}`, Retry-After) or, on sign-in, the app's per-account throttle (`{error: {code: \"too_many_attempts\"}}`, Retry-After)",
    headers: z.object({ "Retry-After": z.string().openapi({ description: "seconds to wait" }) }),
    content: json(z.union([AuthError, ErrorBody])),
  },
  500: { description: "something went wrong on our side; the request id is in X-Request-Id", content: json(ErrorBody) },
  503: { description: "the database is unavailable; see Retry-After", content: json(ErrorBody) },
} as const;

export function registerAuthDocs(app: OpenAPIHono<AppEnv>): void {
  const registry = app.openAPIRegistry;
  registry.registerPath({
    method: "post",
    path: "/api/auth/sign-up/email",
    tags: ["auth"],
    summary: "Create an account with email and password, and sign in",
    description: `${ORIGIN_NOTE} An email that already has an account answers 422 (see the backend README, "Sign-up and existing emails").`,
    request: { body: { required: true, content: bodyOf(SignUpEmail) } },
    responses: {
      200: { description: "signed up and signed in", ...session, content: json(SignedIn) },
      ...refusals,
      422: { description: "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL: the email has an account; sign in instead", content: json(AuthError) },
    },
  });
  registry.registerPath({
    method: "post",
    path: "/api/auth/sign-in/email",
    tags: ["auth"],
    summary: "Sign in with email and password",
    description: `${ORIGIN_NOTE} Each account gets 5 attempts per 5 minutes since its last successful sign-in, then 429.`,
    request: { body: { required: true, content: bodyOf(SignInEmail) } },
    responses: {
      200: { description: "signed in", ...session, content: json(SignedIn) },
      ...refusals,
      401: { description: "INVALID_EMAIL_OR_PASSWORD (the same answer for an unknown email)", content: json(AuthError) },
    },
  });
  registry.registerPath({
    method: "post",
    path: "/api/auth/sign-out",
    tags: ["auth"],
    summary: "End the session",
    description: ORIGIN_NOTE,
    security: [{ sessionCookie: [] }, { bearerAuth: [] }],
    responses: { 200: { description: "signed out (also when there was no session)", content: json(z.object({ success: z.boolean() })) }, ...refusals },
  });
  registry.registerPath({
    method: "get",
    path: "/api/auth/get-session",
    tags: ["auth"],
    summary: "The current session and user, or null",
    security: [{ sessionCookie: [] }, { bearerAuth: [] }],
    responses: {
      200: {
        description: "the session, or null when signed out",
        content: json(z.object({ session: z.object({ id: z.string(), userId: z.string(), expiresAt: z.string() }), user: AuthUser }).nullable()),
      },
      500: refusals[500],
      503: refusals[503],
    },
  });
}
