"use client";
import { useSearchParams } from "next/navigation";
import { useCallback, useState } from "react";

function parseId(value: string | null): number | null {
  return value && /^\d+$/.test(value) ? Number(value) : null;
}

const lastKey = (userId: string): string => `todo-assistant.active-conversation.${userId}`;

/**
 * Keeps ?c=<id> in the address bar so a reload or a shared link reopens the conversation, and
 * remembers it for this tab so going to the tasks view and back continues the same conversation.
 */
function rememberConversation(userId: string, id: number | null): void {
  const url = new URL(window.location.href);
  if (id === null) url.searchParams.delete("c");
  else url.searchParams.set("c", String(id));
  window.history.replaceState(window.history.state, "", url);
  try {
    if (id === null) window.sessionStorage.removeItem(lastKey(userId));
    else window.sessionStorage.setItem(lastKey(userId), String(id));
  } catch {
    // storage disabled: the address bar still has it
  }
}

function lastConversation(userId: string): number | null {
  if (typeof window === "undefined") return null;
  try {
    return parseId(window.sessionStorage.getItem(lastKey(userId)));
  } catch {
    return null;
  }
}

/**
 * The open conversation (null: a new one not started yet), from ?c=<id> or, failing that, the one
 * this tab had open last; choosing one writes it to both.
 */
export function useActiveConversation(userId: string): [number | null, (id: number | null) => void] {
  const searchParams = useSearchParams();
  const [activeId, setActiveId] = useState<number | null>(() => parseId(searchParams.get("c")) ?? lastConversation(userId));
  const choose = useCallback(
    (id: number | null) => {
      setActiveId(id);
      rememberConversation(userId, id);
    },
    [userId],
  );
  return [activeId, choose];
}
