"use client";
import type { ChatReply, ChatRequest, Conversation, Message } from "@todo/backend/contract";
import { request, userPath } from "@/lib/http.ts";

/** The chat API, /api/{user_id}/chat and /api/{user_id}/conversations, typed by the backend's contract. */
export const chatApi = {
  send(userId: string, message: string, conversationId: number | null): Promise<ChatReply> {
    const body: ChatRequest = conversationId === null ? { message } : { conversation_id: conversationId, message };
    return request(`${userPath(userId)}/chat`, { method: "POST", body: JSON.stringify(body) });
  },
  listConversations(userId: string): Promise<Conversation[]> {
    return request(`${userPath(userId)}/conversations`, { method: "GET" });
  },
  listMessages(userId: string, conversationId: number): Promise<Message[]> {
    return request(`${userPath(userId)}/conversations/${conversationId}/messages`, { method: "GET" });
  },
};
