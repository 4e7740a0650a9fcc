import { createHash } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { signInAttempts } from "../db/schema/auth.ts";

/** Sign-in attempts allowed per account since its last successful sign-in, within one window. */
export const SIGN_IN_MAX_ATTEMPTS = 5;
/** The window, from the first of those attempts; once it has passed the count starts again. */
export const SIGN_IN_WINDOW_SECONDS = 300;

/** What the throttle says about one sign-in attempt. */
export type AttemptVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

const accountKey = (email: string): string => createHash("sha256").update(email.trim().toLowerCase()).digest("hex");

/**
 * Per-account sign-in throttle, independent of the client address and of X-Forwarded-For: every
 * attempt for an email is counted (one atomic upsert, so concurrent attempts and other replicas on the
 * same database count together); a successful sign-in clears the count. Once an account has had
 * SIGN_IN_MAX_ATTEMPTS attempts in SIGN_IN_WINDOW_SECONDS, further attempts — with the right password
 * too — are refused until the window ends. The email is stored only as a SHA-256 hash.
 */
export class SignInThrottle {
  readonly #db: Db;
  #sincePrune = 0;

  constructor(db: Db) {
    this.#db = db;
  }

  /** Counts an attempt for `email` and says whether it may go ahead. */
  async attempt(email: string): Promise<AttemptVerdict> {
    const window = sql.raw(`interval '${SIGN_IN_WINDOW_SECONDS} seconds'`);
    const expired = sql`${signInAttempts.windowStartedAt} + ${window} <= now()`;
    const [row] = await this.#db
      .insert(signInAttempts)
      .values({ emailHash: accountKey(email), attempts: 1, windowStartedAt: sql`now()` })
      .onConflictDoUpdate({
        target: signInAttempts.emailHash,
        set: {
          attempts: sql`case when ${expired} then 1 else ${signInAttempts.attempts} + 1 end`,
          windowStartedAt: sql`case when ${expired} then now() else ${signInAttempts.windowStartedAt} end`,
        },
      })
      .returning({
        attempts: signInAttempts.attempts,
        retryAfter: sql<number>`ceil(extract(epoch from (${signInAttempts.windowStartedAt} + ${window} - now())))::int`,
      });
    if (++this.#sincePrune >= 500) {
      this.#sincePrune = 0;
      await this.#db.delete(signInAttempts).where(expired);
    }
    if (!row || row.attempts <= SIGN_IN_MAX_ATTEMPTS) return { allowed: true };
    return { allowed: false, retryAfterSeconds: Math.max(1, row.retryAfter) };
  }

  /** A successful sign-in: the account starts with a clean count. */
  async succeeded(email: string): Promise<void> {
    await this.#db.delete(signInAttempts).where(eq(signInAttempts.emailHash, accountKey(email)));
  }
}
