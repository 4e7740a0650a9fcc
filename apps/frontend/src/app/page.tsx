"use client";
import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { FullPageLoading } from "@/components/Status.tsx";
import { useSession } from "@/features/auth/auth-client.ts";

/** "/" sends a signed-in user to the chat and everyone else to sign-in. */
export default function Home() {
  const { data, isPending } = useSession();
  const router = useRouter();
  useEffect(() => {
    if (isPending) return;
    router.replace(data ? "/chat" : "/sign-in");
  }, [data, isPending, router]);
  return <FullPageLoading label="Opening Todo Assistant…" />;
}
