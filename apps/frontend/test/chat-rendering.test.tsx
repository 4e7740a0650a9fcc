import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { MessageBubble } from "../src/features/chat/components/MessageBubble.tsx";
import { ToolChips } from "../src/features/chat/components/ToolChips.tsx";
import type { Message, ToolCall } from "@todo/backend/contract";
import { toChatMessages, type ChatMessage } from "../src/features/chat/messages.ts";
import { changesTasks, chipFor } from "../src/features/chat/tool-chips.ts";

const added: ToolCall = { name: "add_task", arguments: { title: "Buy groceries" }, result: { task_id: 4, status: "created", title: "Buy groceries" } };

/** The text a person (or a screen reader) gets from some markup. */
const text = (html: string): string => html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim();

describe("tool-call chips", () => {
  it("names what the assistant did with the task number", () => {
    expect(chipFor(added).label).toBe("added task 4");
    expect(chipFor({ name: "complete_task", arguments: { task_id: 1 }, result: { task_id: 1, status: "completed", title: "x" } }).label).toBe("completed task 1");
    expect(chipFor({ name: "delete_task", arguments: { task_id: 2 }, result: { task_id: 2, status: "deleted", title: "x" } }).label).toBe("deleted task 2");
    expect(chipFor({ name: "update_task", arguments: { task_id: 3, title: "Call mom" }, result: { task_id: 3, status: "updated", title: "Call mom" } }).label).toBe("updated task 3");
    expect(chipFor({ name: "list_tasks", arguments: { status: "pending" }, result: [{ id: 1 }, { id: 2 }] }).label).toBe("listed 2 pending tasks");
  });

  it("shows a failed call as an error chip with the tool's reason", () => {
    const chip = chipFor({ name: "complete_task", arguments: { task_id: 99 }, result: { error: "task not found" } });
    expect(chip.kind).toBe("error");
    expect(chip.label).toBe("could not complete task 99");
    expect(chip.detail).toBe("task not found");
  });

  it("counts the tasks a list call returned, and names a call it does not know", () => {
    expect(chipFor({ name: "list_tasks", arguments: {}, result: [] }).label).toBe("listed 0 tasks");
    expect(chipFor({ name: "list_tasks", arguments: { status: "completed" }, result: [{ id: 1, title: "x", description: "", completed: true }] }).label).toBe(
      "listed 1 completed task",
    );
    expect(chipFor({ name: "set_reminder", arguments: {}, result: "ok" })).toMatchObject({ label: "set reminder", kind: "other" });
  });

  it("asks for a task-list reload only when a call could have changed it", () => {
    expect(changesTasks([added])).toBe(true);
    expect(changesTasks([{ name: "list_tasks", arguments: {}, result: [] }])).toBe(false);
    expect(changesTasks([])).toBe(false);
  });

  it("renders a labelled list of chips, with the task title for screen readers", () => {
    const html = renderToStaticMarkup(<ToolChips calls={[added]} />);
    expect(html).toContain('aria-label="What the assistant did"');
    expect(html).toContain("chip--add");
    expect(text(html)).toContain("added task 4");
    expect(text(html)).toContain("Buy groceries");
    expect(renderToStaticMarkup(<ToolChips calls={[]} />)).toBe("");
  });
});

describe("chat messages", () => {
  const reply: ChatMessage = { id: "2", role: "assistant", content: "I added “Buy groceries”.\nAnything else?", toolCalls: [added] };

  it("shows the assistant's text with its chips, and says who spoke", () => {
    const html = renderToStaticMarkup(<MessageBubble message={reply} />);
    expect(html).toContain("message--assistant");
    expect(text(html)).toMatch(/^Assistant: I added “Buy groceries”\. Anything else\? added task 4/);
  });

  it("escapes what the user typed instead of rendering it as HTML", () => {
    const html = renderToStaticMarkup(<MessageBubble message={{ id: "1", role: "user", content: "<img src=x onerror=alert(1)>", toolCalls: [] }} />);
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;img");
    expect(html).toContain("message--user");
  });

  it("marks a message that could not be sent and offers a retry", () => {
    const failed: ChatMessage = { id: "1", role: "user", content: "hello", toolCalls: [], failed: true };
    expect(text(renderToStaticMarkup(<MessageBubble message={failed} onRetry={() => undefined} />))).toContain("Not sent. Retry");
    expect(renderToStaticMarkup(<MessageBubble message={failed} onRetry={() => undefined} />)).toContain('role="alert"');
  });

  it("folds stored tool messages into the assistant reply that follows them", () => {
    const at = "2026-01-01T00:00:00.000Z";
    const call: ToolCall = { name: "add_task", arguments: { title: "buy groceries" }, result: { task_id: 1, status: "created", title: "buy groceries" } };
    const stored: Message[] = [
      { id: 1, role: "user", content: "Add a task to buy groceries", created_at: at },
      { id: 2, role: "tool", content: JSON.stringify(call), created_at: at },
      { id: 3, role: "assistant", content: "Added “buy groceries” as task 1.", created_at: at },
      { id: 4, role: "user", content: "thanks", created_at: at },
      { id: 5, role: "assistant", content: "You're welcome.", created_at: at },
    ];
    const history = toChatMessages(stored);
    expect(history.map((m) => m.role)).toEqual(["user", "assistant", "user", "assistant"]);
    expect(history[1]!.toolCalls.map((c) => chipFor(c).label)).toEqual(["added task 1"]);
    expect(history[3]!.toolCalls).toEqual([]);
  });
});
