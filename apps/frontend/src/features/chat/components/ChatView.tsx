"use client";
import { useCallback, useEffect, useRef, useState } from "react";
import { errorMessage } from "@/lib/http.ts";
import { chatApi } from "../api.ts";
import { useActiveConversation } from "../hooks/use-active-conversation.ts";
import { useConversationList } from "../hooks/use-conversation-list.ts";
import { toChatMessages, type ChatMessage } from "../messages.ts";
import { changesTasks } from "../tool-chips.ts";
import { Composer } from "./Composer.tsx";
import { ConversationList } from "./ConversationList.tsx";
import { MenuIcon, SparkIcon } from "@/components/icons.tsx";
import { MessageBubble } from "./MessageBubble.tsx";
import { EmptyState, ErrorNotice, Spinner } from "@/components/Status.tsx";
import { TaskPanel } from "@/features/tasks/components/TaskPanel.tsx";
import { useTasks } from "@/features/tasks/hooks/tasks-store.tsx";
import { useUser } from "@/features/auth/user-context.tsx";

const SUGGESTIONS = ["Add a task to buy groceries", "What's pending?", "Show me all my tasks", "Mark task 1 as complete"];

type LoadStatus = "loading" | "ready" | "error";

export function ChatView() {
  const user = useUser();
  const tasks = useTasks();
  const [activeId, choose] = useActiveConversation(user.id);
  const list = useConversationList(user.id);
  const { conversations, reload: loadConversations } = list;
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [historyStatus, setHistoryStatus] = useState<LoadStatus>("ready");
  const [historyError, setHistoryError] = useState<string | null>(null);
  const [draft, setDraft] = useState("");
  const [sending, setSending] = useState(false);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const endRef = useRef<HTMLLIElement>(null);
  const drawerClose = useRef<HTMLButtonElement>(null);
  const localKey = useRef(0);

  const loadHistory = useCallback(
    async (id: number) => {
      setHistoryStatus("loading");
      setHistoryError(null);
      try {
        setMessages(toChatMessages(await chatApi.listMessages(user.id, id)));
        setHistoryStatus("ready");
      } catch (e) {
        setHistoryError(errorMessage(e));
        setHistoryStatus("error");
      }
    },
    [user.id],
  );

  // First visit: the conversation list, and the conversation named in the address, if any.
  const initialId = useRef(activeId);
  useEffect(() => {
    void loadConversations();
    if (initialId.current !== null) {
      choose(initialId.current);
      void loadHistory(initialId.current);
    }
  }, [loadConversations, loadHistory, choose]);

  // On phones the conversation list is a drawer: focus moves into it when it opens.
  useEffect(() => {
    if (drawerOpen) drawerClose.current?.focus();
  }, [drawerOpen]);

  useEffect(() => {
    endRef.current?.scrollIntoView({ block: "end" });
  }, [messages, sending]);

  function select(id: number) {
    setDrawerOpen(false);
    if (id === activeId) return;
    choose(id);
    void loadHistory(id);
  }

  function startNew() {
    setDrawerOpen(false);
    choose(null);
    setMessages([]);
    setHistoryStatus("ready");
    setHistoryError(null);
  }

  async function send(text: string, retryOf?: string) {
    const message = text.trim();
    if (!message || sending) return;
    const key = retryOf ?? `local-${++localKey.current}`;
    const mine: ChatMessage = { id: key, role: "user", content: message, toolCalls: [] };
    setMessages((list) => (retryOf ? list.map((m) => (m.id === retryOf ? mine : m)) : [...list, mine]));
    setDraft("");
    setSending(true);
    try {
      const reply = await chatApi.send(user.id, message, activeId);
      const answer: ChatMessage = {
        id: `local-${++localKey.current}`,
        role: "assistant",
        content: reply.response,
        toolCalls: reply.tool_calls,
      };
      setMessages((list) => [...list, answer]);
      setHistoryError(null);
      if (reply.conversation_id !== activeId) {
        choose(reply.conversation_id);
      }
      void loadConversations();
      if (changesTasks(reply.tool_calls)) void tasks.refresh();
    } catch (e) {
      setMessages((list) => list.map((m) => (m.id === key ? { ...m, failed: true } : m)));
      setHistoryError(errorMessage(e));
    } finally {
      setSending(false);
    }
  }

  const active = conversations.find((c) => c.id === activeId);
  // The backend names each conversation after its first message; a just-started one has its name once the list reloads.
  const activeTitle = activeId === null ? "New conversation" : (active?.title ?? "Conversation");
  const failedNotice = historyStatus === "ready" && historyError;

  return (
    <div className={`chat-layout${drawerOpen ? " chat-layout--drawer" : ""}`}>
      <div
        className="chat-layout__sidebar"
        id="conversation-drawer"
        onKeyDown={(event) => {
          if (event.key === "Escape") setDrawerOpen(false);
        }}
      >
        <button ref={drawerClose} type="button" className="button button--ghost chat__drawer-close" onClick={() => setDrawerOpen(false)}>
          ← Back to the chat
        </button>
        <ConversationList
          conversations={conversations}
          status={list.status}
          error={list.error}
          activeId={activeId}
          onSelect={select}
          onNew={startNew}
          onRetry={() => void loadConversations()}
        />
      </div>
      <section className="chat" aria-label="Chat with the assistant">
        <div className="chat__bar">
          <button
            type="button"
            className="button button--ghost chat__drawer-toggle"
            aria-expanded={drawerOpen}
            aria-controls="conversation-drawer"
            onClick={() => setDrawerOpen((open) => !open)}
          >
            <MenuIcon />
            Conversations
          </button>
          <h1 className="chat__title">{activeTitle}</h1>
        </div>
        <div className="chat__scroll">
          {historyStatus === "loading" ? <Spinner label="Loading messages…" /> : null}
          {historyStatus === "error" && historyError && activeId !== null ? (
            <ErrorNotice message={historyError} onRetry={() => void loadHistory(activeId)} />
          ) : null}
          {historyStatus === "ready" && messages.length === 0 ? (
            <EmptyState title="What needs doing?" icon={<SparkIcon width={28} height={28} />}>
              <p>Tell me in plain words and I will keep your list. Try one of these:</p>
              <div className="suggestions">
                {SUGGESTIONS.map((s) => (
                  <button key={s} type="button" className="suggestion" onClick={() => void send(s)} disabled={sending}>
                    {s}
                  </button>
                ))}
              </div>
            </EmptyState>
          ) : null}
          <ol className="messages" role="log" aria-live="polite" aria-label="Messages">
            {messages.map((m) => (
              <MessageBubble key={m.id} message={m} onRetry={m.failed ? () => void send(m.content, m.id) : undefined} />
            ))}
            {sending ? (
              <li className="message message--assistant message--pending">
                <span className="message__avatar" aria-hidden="true">
                  <SparkIcon />
                </span>
                <div className="message__body">
                  <span className="typing" aria-label="The assistant is thinking">
                    <span />
                    <span />
                    <span />
                  </span>
                </div>
              </li>
            ) : null}
            <li ref={endRef} className="messages__end" aria-hidden="true" />
          </ol>
        </div>
        {failedNotice ? <ErrorNotice message={failedNotice} /> : null}
        <Composer value={draft} onChange={setDraft} onSend={() => void send(draft)} busy={sending || historyStatus === "loading"} />
      </section>
      <TaskPanel />
    </div>
  );
}
