import type { Metadata } from "next";
import { Suspense } from "react";
import { ChatView } from "@/features/chat/components/ChatView.tsx";
import { FullPageLoading } from "@/components/Status.tsx";

export const metadata: Metadata = { title: "Chat" };

export default function ChatPage() {
  return (
    <Suspense fallback={<FullPageLoading label="Loading chat…" />}>
      <ChatView />
    </Suspense>
  );
}
