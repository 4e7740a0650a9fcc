"use client";
import { request, userPath } from "@/lib/http.ts";
import { toChatReply, toConversations, toMessages } from "@/lib/normalize.ts";
import type { ChatMessage, ChatReply, Conversation } from "@/lib/types.ts";

/** The chat API: /api/{user_id}/chat and /api/{user_id}/conversations. */
export const chatApi = {
  send(userId: string, message: string, conversationId: number | null): Promise<ChatReply> {
    const body = conversationId === null ? { message } : { conversation_id: conversationId, message };
    return request(`${userPath(userId)}/chat`, { method: "POST", body: JSON.stringify(body) }, toChatReply);
  },
  listConversations(userId: string): Promise<Conversation[]> {
    return request(`${userPath(userId)}/conversations`, { method: "GET" }, toConversations);
  },
  listMessages(userId: string, conversationId: number): Promise<ChatMessage[]> {
    return request(`${userPath(userId)}/conversations/${conversationId}/messages`, { method: "GET" }, toMessages);
  },
};
