import { describe, expect, it } from "vitest";
import { SessionCache, type FoundSession } from "../src/auth/session-cache.ts";

const ada: FoundSession = { user: { id: "u1", email: "ada@example.com", name: "Ada" }, session: { id: "s1", expiresAt: new Date(Date.now() + 3_600_000) } };

/** A session lookup (Better Auth's, in the app) that answers only when the test says so, counting its calls. */
function heldLookup() {
  const calls: { answer: (found: FoundSession | undefined) => void; fail: (error: Error) => void }[] = [];
  const lookup = () => new Promise<FoundSession | undefined>((resolve, reject) => calls.push({ answer: resolve, fail: reject }));
  return { calls, lookup };
}

describe("SessionCache.resolve", () => {
  it("lets requests that miss together share one lookup, then answers from memory", async () => {
    const cache = new SessionCache(5_000);
    const { calls, lookup } = heldLookup();
    const together = [cache.resolve("Bearer t", lookup), cache.resolve("Bearer t", lookup), cache.resolve("Bearer t", lookup)];
    expect(calls).toHaveLength(1);
    calls[0]?.answer(ada);
    expect(await Promise.all(together)).toEqual([ada.user, ada.user, ada.user]);
    expect(await cache.resolve("Bearer t", lookup)).toEqual(ada.user);
    expect(calls).toHaveLength(1);
  });

  it("keeps apart different credentials, and neither keeps nor shares a failed or empty lookup", async () => {
    const cache = new SessionCache(5_000);
    const { calls, lookup } = heldLookup();
    const first = cache.resolve("Bearer t", lookup);
    const other = cache.resolve("Bearer forged", lookup);
    expect(calls).toHaveLength(2);
    calls[0]?.fail(new Error("database down"));
    calls[1]?.answer(undefined);
    await expect(first).rejects.toThrow("database down");
    expect(await other).toBeUndefined();
    const again = cache.resolve("Bearer t", lookup);
    expect(calls).toHaveLength(3);
    calls[2]?.answer(ada);
    expect(await again).toEqual(ada.user);
  });

  it("does not keep the answer of a lookup that a sign-out overtook, and does not share it with later requests", async () => {
    const cache = new SessionCache(5_000);
    const { calls, lookup } = heldLookup();
    const before = cache.resolve("Bearer t", lookup);
    cache.forgetSession("s1"); // sign-out of that session while its lookup runs
    const after = cache.resolve("Bearer t", lookup);
    expect(calls).toHaveLength(2); // the request after the sign-out looks up for itself
    calls[0]?.answer(ada);
    await before;
    calls[1]?.answer(undefined); // the session is gone now
    expect(await after).toBeUndefined();
    const next = cache.resolve("Bearer t", lookup);
    expect(calls).toHaveLength(3); // nothing was kept from the overtaken lookup
    calls[2]?.answer(undefined);
    expect(await next).toBeUndefined();
  });

  it("looks up every time with a ttl of 0 (SESSION_CACHE_TTL_MS=0)", async () => {
    const cache = new SessionCache(0);
    const { calls, lookup } = heldLookup();
    const both = [cache.resolve("Bearer t", lookup), cache.resolve("Bearer t", lookup)];
    expect(calls).toHaveLength(2);
    for (const call of calls) call.answer(ada);
    expect(await Promise.all(both)).toEqual([ada.user, ada.user]);
  });
});
