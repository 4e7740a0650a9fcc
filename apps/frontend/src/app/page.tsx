"use client";
import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { FullPageLoading } from "@/components/Status.tsx";
import { sessionStateLabel, useSessionState } from "@/features/auth/hooks/use-session-state.ts";

/** "/" sends a signed-in user to the chat and everyone else to sign-in. */
export default function Home() {
  const session = useSessionState();
  const router = useRouter();
  useEffect(() => {
    if (session.kind === "signed-in") router.replace("/chat");
    if (session.kind === "signed-out") router.replace("/sign-in");
  }, [session.kind, router]);
  return <FullPageLoading label={sessionStateLabel(session)} />;
}
