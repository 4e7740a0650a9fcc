"use client";
import type { Conversation } from "@todo/backend/contract";
import { PlusIcon } from "@/components/icons.tsx";
import { ErrorNotice, Spinner } from "@/components/Status.tsx";

interface Props {
  conversations: Conversation[];
  status: "loading" | "ready" | "error";
  error: string | null;
  activeId: number | null;
  onSelect(id: number): void;
  onNew(): void;
  onRetry(): void;
}

function when(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const sameDay = date.toDateString() === new Date().toDateString();
  return sameDay
    ? date.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" })
    : date.toLocaleDateString(undefined, { month: "short", day: "numeric" });
}

export function ConversationList({ conversations, status, error, activeId, onSelect, onNew, onRetry }: Props) {
  return (
    <nav className="conversations" aria-label="Conversations">
      <button type="button" className="button button--primary button--block" onClick={onNew}>
        <PlusIcon />
        New chat
      </button>
      <h2 className="section-label">Recent</h2>
      {status === "loading" ? <Spinner label="Loading conversations…" /> : null}
      {status === "error" && error ? <ErrorNotice message={error} onRetry={onRetry} /> : null}
      {status === "ready" && conversations.length === 0 ? <p className="muted small">No conversations yet.</p> : null}
      <ul className="conversation-list">
        {conversations.map((c) => (
          <li key={c.id}>
            <button
              type="button"
              className={`conversation${c.id === activeId ? " conversation--active" : ""}`}
              aria-current={c.id === activeId ? "true" : undefined}
              onClick={() => onSelect(c.id)}
            >
              <span className="conversation__title">{c.title}</span>
              <span className="conversation__time">{when(c.updated_at)}</span>
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
