import type { CurrentUser } from "../http/app-env.ts";

interface Entry {
  user: CurrentUser;
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
 * Auth's two session queries and HMAC check. Sign-out through this process forgets the credential
 * at once; on another replica a signed-out token keeps working for at most `ttlMs`.
 * ttlMs = 0 turns the cache off.
 */
export class SessionCache {
  readonly #entries = new Map<string, Entry>();
  readonly #ttlMs: number;
  readonly #max: number;

  constructor(ttlMs: number, max = 10_000) {
    this.#ttlMs = ttlMs;
    this.#max = max;
  }

  get(credential: string, now = Date.now()): CurrentUser | undefined {
    const entry = this.#entries.get(credential);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      this.#entries.delete(credential);
      return undefined;
    }
    return entry.user;
  }

  set(credential: string, user: CurrentUser, sessionExpiresAt: Date, now = Date.now()): void {
    if (this.#ttlMs <= 0) return;
    if (this.#entries.size >= this.#max) this.#entries.clear();
    this.#entries.set(credential, { user, expiresAt: Math.min(now + this.#ttlMs, sessionExpiresAt.getTime()) });
  }

  forget(credential: string): void {
    this.#entries.delete(credential);
  }
}
