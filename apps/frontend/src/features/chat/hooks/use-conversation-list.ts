"use client";
import type { Conversation } from "@todo/backend/contract";
import { useCallback, useState } from "react";
import { errorMessage } from "@/lib/http.ts";
import { chatApi } from "../api.ts";

export interface ConversationList {
  conversations: Conversation[];
  status: "loading" | "ready" | "error";
  error: string | null;
  /** (re)loads the list from the backend, newest first as the backend orders it */
  reload(): Promise<void>;
}

/** The user's conversations, each with the title the backend gave it. */
export function useConversationList(userId: string): ConversationList {
  const [conversations, setConversations] = useState<Conversation[]>([]);
  const [status, setStatus] = useState<ConversationList["status"]>("loading");
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(async () => {
    try {
      setConversations(await chatApi.listConversations(userId));
      setStatus("ready");
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
      setStatus("error");
    }
  }, [userId]);
  return { conversations, status, error, reload };
}
