"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useId, useState, type FormEvent } from "react";
import { signIn, signUp, useSession } from "../auth-client.ts";
import { LogoMark } from "@/components/icons.tsx";
import { Spinner } from "@/components/Status.tsx";

type Mode = "sign-in" | "sign-up";

const COPY: Record<Mode, { title: string; subtitle: string; submit: string; busy: string }> = {
  "sign-in": {
    title: "Welcome back",
    subtitle: "Sign in to chat with your assistant and see your tasks.",
    submit: "Sign in",
    busy: "Signing in…",
  },
  "sign-up": {
    title: "Create your account",
    subtitle: "Tell the assistant what needs doing; it keeps the list for you.",
    submit: "Create account",
    busy: "Creating account…",
  },
};

/** Better Auth's error (code + message) made readable. */
function describeAuthError(error: { message?: string | undefined; status?: number; code?: string | undefined }): string {
  if (error.status === 403) return "The server refused this sign-in from this address (origin not trusted).";
  if (error.status === 502 || error.status === 503) return "The server cannot be reached right now. Please try again in a moment.";
  if (error.status === 429) return "Too many attempts. Wait a minute and try again.";
  return error.message || "Something went wrong. Please try again.";
}

export function AuthForm({ mode }: { mode: Mode }) {
  const copy = COPY[mode];
  const router = useRouter();
  const session = useSession();
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ids = { name: useId(), email: useId(), password: useId(), hint: useId(), error: useId() };

  // Already signed in (e.g. the back button): go to the app.
  useEffect(() => {
    if (!session.isPending && session.data) router.replace("/chat");
  }, [session.data, session.isPending, router]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    setError(null);
    setBusy(true);
    try {
      const result =
        mode === "sign-up"
          ? await signUp.email({ name: name.trim() || email.split("@")[0] || "friend", email: email.trim(), password })
          : await signIn.email({ email: email.trim(), password });
      if (result.error) {
        setError(describeAuthError(result.error));
        return;
      }
      router.replace("/chat");
    } catch {
      setError("The server cannot be reached right now. Please try again in a moment.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="auth-page">
      <div className="auth-card">
        <div className="auth-brand">
          <LogoMark />
          <span>Todo Assistant</span>
        </div>
        <h1 className="auth-title">{copy.title}</h1>
        <p className="muted">{copy.subtitle}</p>
        <form className="form" onSubmit={onSubmit} noValidate={false} aria-describedby={error ? ids.error : undefined}>
          {mode === "sign-up" ? (
            <div className="field">
              <label htmlFor={ids.name}>Name</label>
              <input id={ids.name} name="name" autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} placeholder="Ada Lovelace" />
            </div>
          ) : null}
          <div className="field">
            <label htmlFor={ids.email}>Email</label>
            <input
              id={ids.email}
              name="email"
              type="email"
              required
              autoComplete="email"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              placeholder="you@example.com"
            />
          </div>
          <div className="field">
            <label htmlFor={ids.password}>Password</label>
            <input
              id={ids.password}
              name="password"
              type="password"
              required
              minLength={8}
              autoComplete={mode === "sign-up" ? "new-password" : "current-password"}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              aria-describedby={mode === "sign-up" ? ids.hint : undefined}
            />
            {mode === "sign-up" ? (
              <p id={ids.hint} className="field-hint">
                At least 8 characters.
              </p>
            ) : null}
          </div>
          {error ? (
            <p id={ids.error} className="notice notice--error" role="alert">
              {error}
            </p>
          ) : null}
          <button type="submit" className="button button--primary button--block" disabled={busy}>
            {busy ? <Spinner /> : null}
            {busy ? copy.busy : copy.submit}
          </button>
        </form>
        <p className="auth-switch">
          {mode === "sign-in" ? (
            <>
              New here? <Link href="/sign-up">Create an account</Link>
            </>
          ) : (
            <>
              Already have an account? <Link href="/sign-in">Sign in</Link>
            </>
          )}
        </p>
      </div>
    </main>
  );
}
