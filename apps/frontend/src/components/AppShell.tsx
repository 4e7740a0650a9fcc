"use client";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useState, type ReactNode } from "react";
import { signOut } from "@/features/auth/auth-client.ts";
import { sessionStateLabel, useSessionState } from "@/features/auth/hooks/use-session-state.ts";
import { ChatIcon, ListIcon, LogoMark, SignOutIcon } from "./icons.tsx";
import { FullPageLoading } from "./Status.tsx";
import { TasksProvider } from "@/features/tasks/hooks/tasks-store.tsx";
import { UserContext } from "@/features/auth/user-context.tsx";

const NAV = [
  { href: "/chat", label: "Chat", Icon: ChatIcon },
  { href: "/tasks", label: "Tasks", Icon: ListIcon },
] as const;

/** The signed-in part of the app: waits for the session, sends strangers to sign-in, draws the header. */
export function AppShell({ children }: { children: ReactNode }) {
  const session = useSessionState();
  const router = useRouter();
  const pathname = usePathname();
  const [signingOut, setSigningOut] = useState(false);

  // Only a session check that answered "no session" signs the visitor out; one that could not
  // answer (429, 5xx, offline) is retried (useSessionState).
  useEffect(() => {
    if (session.kind === "signed-out") router.replace("/sign-in");
  }, [session.kind, router]);

  if (session.kind !== "signed-in") return <FullPageLoading label={sessionStateLabel(session)} />;
  const { user } = session;

  async function onSignOut() {
    setSigningOut(true);
    try {
      await signOut();
    } finally {
      router.replace("/sign-in");
    }
  }

  return (
    <UserContext.Provider value={user}>
      <TasksProvider userId={user.id}>
        <div className="app">
          <a className="skip-link" href="#main">
            Skip to content
          </a>
          <header className="topbar">
            <Link href="/chat" className="brand" aria-label="Todo Assistant, go to chat">
              <LogoMark />
              <span className="brand__name">Todo Assistant</span>
            </Link>
            <nav className="tabs" aria-label="Main">
              {NAV.map(({ href, label, Icon }) => {
                const active = pathname === href || pathname.startsWith(`${href}/`);
                return (
                  <Link key={href} href={href} className={`tab${active ? " tab--active" : ""}`} aria-current={active ? "page" : undefined}>
                    <Icon />
                    <span>{label}</span>
                  </Link>
                );
              })}
            </nav>
            <div className="account">
              <span className="account__email" title={user.email}>
                {user.email}
              </span>
              <button type="button" className="button button--ghost" onClick={onSignOut} disabled={signingOut}>
                <SignOutIcon />
                <span className="button__label">{signingOut ? "Signing out…" : "Sign out"}</span>
              </button>
            </div>
          </header>
          <main id="main" className="app__main">
            {children}
          </main>
        </div>
      </TasksProvider>
    </UserContext.Provider>
  );
}
