/**
 * Per-user sliding-window limit on chat turns. In memory, per process: with N replicas a user
 * gets up to N x the limit (acceptable for this app; a shared store would be needed otherwise).
 */
export class ChatRateLimiter {
  readonly #hits = new Map<string, number[]>();
  readonly #limit: number;
  readonly #windowMs: number;

  constructor(perMinute: number, windowMs = 60_000) {
    this.#limit = perMinute;
    this.#windowMs = windowMs;
  }

  /** Records a hit; returns 0 when allowed, otherwise the seconds until the next turn is allowed. */
  take(userId: string, now = Date.now()): number {
    const since = now - this.#windowMs;
    const hits = (this.#hits.get(userId) ?? []).filter((t) => t > since);
    if (hits.length >= this.#limit) {
      this.#hits.set(userId, hits);
      return Math.max(1, Math.ceil(((hits[0] ?? now) + this.#windowMs - now) / 1000));
    }
    hits.push(now);
    this.#hits.set(userId, hits);
    if (this.#hits.size > 10_000) this.#sweep(since);
    return 0;
  }

  #sweep(since: number): void {
    for (const [user, hits] of this.#hits) if (!hits.some((t) => t > since)) this.#hits.delete(user);
  }
}
