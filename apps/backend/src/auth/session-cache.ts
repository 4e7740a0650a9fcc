import type { CurrentUser } from "../http/app-env.ts";

/** A signed-in credential's user and session, as the cache keeps them. */
export interface FoundSession {
  user: CurrentUser;
  session: { id: string; expiresAt: Date };
}

interface Entry {
  user: CurrentUser;
  /** the Better Auth session the credential belongs to: every spelling of it shares this id */
  sessionId: string;
  expiresAt: number;
}

const SESSION_COOKIE = /(?:^|;\s*)((?:__Secure-)?better-auth\.session_token)=([^;]+)/;

/** The credential a request carries: its bearer header, else its session cookie. */
export function credentialOf(headers: Headers): string | undefined {
  const authorization = headers.get("authorization");
  if (authorization) return authorization;
  const cookie = SESSION_COOKIE.exec(headers.get("cookie") ?? "");
  return cookie ? `cookie:${cookie[2]}` : undefined;
}

/**
 * A few seconds of memory of "this credential is this user", so the hot read paths skip Better
 * Auth's two session queries and HMAC check. Entries are keyed by the credential as sent but carry
 * the session id: sign-out through this process forgets the session at once, whichever spelling
 * was cached (`Bearer`/`bearer`, signed or raw token, the cookie). On another replica a signed-out
 * token keeps working for at most `ttlMs`. ttlMs = 0 turns the cache off.
 */
export class SessionCache {
  readonly #entries = new Map<string, Entry>();
  /** lookups under way, by credential: requests that miss together share one */
  #lookups = new Map<string, Promise<FoundSession | undefined>>();
  readonly #ttlMs: number;
  readonly #max: number;

  constructor(ttlMs: number, max = 10_000) {
    this.#ttlMs = ttlMs;
    this.#max = max;
  }

  get(credential: string, now = Date.now()): { user: CurrentUser; sessionId: string } | undefined {
    const entry = this.#entries.get(credential);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      this.#entries.delete(credential);
      return undefined;
    }
    return { user: entry.user, sessionId: entry.sessionId };
  }

  set(credential: string, user: CurrentUser, session: { id: string; expiresAt: Date }, now = Date.now()): void {
    if (this.#ttlMs <= 0) return;
    if (this.#entries.size >= this.#max) this.#entries.clear();
    this.#entries.set(credential, { user, sessionId: session.id, expiresAt: Math.min(now + this.#ttlMs, session.expiresAt.getTime()) });
  }

  /**
   * The credential's user from the cache, else from `lookup` (Better Auth's session check), kept for
   * ttlMs. Requests that miss while a lookup of the same credential is under way share its answer, so
   * an expiring entry costs one lookup, not one per request in flight (a page load sends several).
   * A lookup that a sign-out overtakes is not kept. With ttlMs = 0 every call looks up.
   */
  async resolve(credential: string, lookup: () => Promise<FoundSession | undefined>): Promise<CurrentUser | undefined> {
    const cached = this.get(credential);
    if (cached) return cached.user;
    if (this.#ttlMs <= 0) return (await lookup())?.user;
    const shared = this.#lookups.get(credential);
    if (shared) return (await shared)?.user;
    const lookups = this.#lookups;
    const pending = lookup().then((found) => {
      // a sign-out replaced the map meanwhile: the answer may be that of a session now gone
      if (found && this.#lookups === lookups) this.set(credential, found.user, found.session);
      return found;
    });
    lookups.set(credential, pending);
    try {
      return (await pending)?.user;
    } finally {
      if (lookups.get(credential) === pending) lookups.delete(credential);
    }
  }

  /** Drops every cached credential of this session (sign-out), and lets no lookup under way fill it in again. */
  forgetSession(sessionId: string): void {
    for (const [credential, entry] of this.#entries) if (entry.sessionId === sessionId) this.#entries.delete(credential);
    this.#lookups = new Map();
  }
}
