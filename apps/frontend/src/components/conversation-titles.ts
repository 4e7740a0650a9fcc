"use client";
import type { ChatMessage, Conversation } from "@/lib/types.ts";

/**
 * Conversations have no name in the API; the app names each by the first thing the user said in it.
 * Names are kept in localStorage per user so the list reads well without fetching every history.
 */
const key = (userId: string): string => `todo-assistant.conversation-titles.${userId}`;

export type Titles = Record<string, string>;

export function loadTitles(userId: string): Titles {
  try {
    const raw = window.localStorage.getItem(key(userId));
    const parsed: unknown = raw ? JSON.parse(raw) : {};
    return typeof parsed === "object" && parsed !== null ? (parsed as Titles) : {};
  } catch {
    return {};
  }
}

export function saveTitles(userId: string, titles: Titles): void {
  try {
    window.localStorage.setItem(key(userId), JSON.stringify(titles));
  } catch {
    // storage full or disabled: names are a nicety
  }
}

export function shorten(text: string, max = 48): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export function titleFromHistory(messages: readonly ChatMessage[]): string | null {
  const first = messages.find((m) => m.role === "user" && m.content.trim());
  return first ? shorten(first.content) : null;
}

export function displayTitle(conversation: Conversation, titles: Titles): string {
  const named = conversation.title ?? titles[String(conversation.id)];
  if (named) return shorten(named);
  const when = conversation.createdAt ? new Date(conversation.createdAt) : null;
  return when && !Number.isNaN(when.getTime())
    ? `Chat from ${when.toLocaleDateString(undefined, { month: "short", day: "numeric" })}`
    : `Chat ${conversation.id}`;
}
