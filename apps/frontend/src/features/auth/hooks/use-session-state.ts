"use client";
import { useEffect, useMemo, useState } from "react";
import { useSession } from "../auth-client.ts";
import type { SignedInUser } from "../user-context.tsx";

/**
 * Where the visitor stands, from Better Auth's session check (GET /api/auth/get-session):
 * - "signed-in" once it answered with a session (kept while a later check fails);
 * - "signed-out" only when it answered without one, or with 401;
 * - "retrying" when it could not answer (429 rate limit, 5xx, network): that says nothing about the
 *   session, so the check is repeated with backoff (1, 2, 4 ... 30 s) instead of sending a signed-in
 *   user to the sign-in page.
 */
export type SessionState =
  | { kind: "checking" }
  | { kind: "signed-in"; user: SignedInUser }
  | { kind: "signed-out" }
  | { kind: "retrying"; status: number | null; inSeconds: number };

const MAX_BACKOFF_S = 30;

/** The HTTP status of a failed check (better-fetch errors carry one; a network failure has none). */
function statusOf(error: unknown): number | null {
  return typeof error === "object" && error !== null && "status" in error && typeof error.status === "number" ? error.status : null;
}

export function useSessionState(): SessionState {
  const { data, error, isPending, refetch } = useSession();
  const [failures, setFailures] = useState(0);
  const status = error ? statusOf(error) : null;
  const unanswered = !data && !isPending && error !== null && status !== 401;
  const inSeconds = Math.min(MAX_BACKOFF_S, 2 ** failures);

  useEffect(() => {
    if (!unanswered) {
      if (data) setFailures(0);
      return;
    }
    const timer = setTimeout(() => {
      setFailures((n) => n + 1);
      void refetch();
    }, inSeconds * 1000);
    return () => clearTimeout(timer);
  }, [unanswered, inSeconds, refetch, data]);

  return useMemo<SessionState>(() => {
    if (data) return { kind: "signed-in", user: { id: data.user.id, email: data.user.email, name: data.user.name } };
    if (unanswered) return { kind: "retrying", status, inSeconds };
    if (isPending) return { kind: "checking" };
    return { kind: "signed-out" };
  }, [data, unanswered, status, inSeconds, isPending]);
}

/** What the page says while the session is being (re)checked. */
export function sessionStateLabel(state: SessionState): string {
  switch (state.kind) {
    case "checking":
      return "Checking your session…";
    case "retrying":
      return state.status === 429
        ? `The server is busy. Checking your session again in ${state.inSeconds} s…`
        : `The server cannot be reached. Checking your session again in ${state.inSeconds} s…`;
    case "signed-out":
      return "Redirecting to sign in…";
    case "signed-in":
      return "Opening Todo Assistant…";
  }
}
