import type { CurrentUser } from "../http/app-env.ts";

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

  /** Drops every cached credential of this session (sign-out). */
  forgetSession(sessionId: string): void {
    for (const [credential, entry] of this.#entries) if (entry.sessionId === sessionId) this.#entries.delete(credential);
  }
}
