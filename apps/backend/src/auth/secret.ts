import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Env } from "../env.ts";
import type { Logger } from "../logger.ts";

/**
 * BETTER_AUTH_SECRET, or in development a generated one kept in DATA_DIR/auth-secret so sessions
 * survive a restart. Production never gets here without the variable (see env.ts).
 */
export function authSecret(env: Env, logger: Logger): string {
  if (env.BETTER_AUTH_SECRET) return env.BETTER_AUTH_SECRET;
  const file = resolve(env.DATA_DIR, "auth-secret");
  let secret: string;
  try {
    secret = readFileSync(file, "utf8").trim();
  } catch {
    secret = randomBytes(32).toString("base64url");
    mkdirSync(env.DATA_DIR, { recursive: true });
    writeFileSync(file, secret, { mode: 0o600 });
  }
  logger.warn({ file }, "BETTER_AUTH_SECRET is not set: using a generated development secret (set it in production)");
  return secret;
}
