import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../http/app-env.ts";

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
    name: z.string().min(1),
    email: z.email(),
    password: z.string().min(8).max(128),
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
const authFailed = { description: "refused by Better Auth (bad input, existing user, wrong password, untrusted Origin)", content: json(AuthError) };
const ORIGIN_NOTE = "State-changing requests need an `Origin` the backend trusts (PUBLIC_URL, TRUSTED_ORIGINS or the forwarded host).";

export function registerAuthDocs(app: OpenAPIHono<AppEnv>): void {
  const registry = app.openAPIRegistry;
  // sign-up and sign-in: an email body in, a session (cookie + bearer token) and the user out
  const emailRoute = (path: string, summary: string, body: typeof SignUpEmail | typeof SignInEmail, signedIn: string) =>
    registry.registerPath({
      method: "post",
      path,
      tags: ["auth"],
      summary,
      description: ORIGIN_NOTE,
      request: { body: { required: true, content: json(body) } },
      responses: { 200: { description: signedIn, ...session, content: json(SignedIn) }, default: authFailed },
    });
  emailRoute("/api/auth/sign-up/email", "Create an account with email and password, and sign in", SignUpEmail, "signed up and signed in");
  emailRoute("/api/auth/sign-in/email", "Sign in with email and password", SignInEmail, "signed in");
  registry.registerPath({
    method: "post",
    path: "/api/auth/sign-out",
    tags: ["auth"],
    summary: "End the session",
    description: ORIGIN_NOTE,
    security: [{ sessionCookie: [] }, { bearerAuth: [] }],
    responses: { 200: { description: "signed out", content: json(z.object({ success: z.boolean() })) }, default: authFailed },
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
    },
  });
}
