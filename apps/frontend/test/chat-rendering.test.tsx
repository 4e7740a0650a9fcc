import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { MessageBubble } from "../src/features/chat/components/MessageBubble.tsx";
import { ToolChips } from "../src/features/chat/components/ToolChips.tsx";
import { toChatReply, toMessages } from "../src/lib/normalize.ts";
import { changesTasks, chipFor } from "../src/features/chat/tool-chips.ts";
import type { ChatMessage, ToolCall } from "../src/lib/types.ts";

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

  it("reads results that arrive as JSON text", () => {
    const reply = toChatReply({ conversation_id: 7, response: "Done!", tool_calls: [{ name: "add_task", arguments: '{"title":"Pay bills"}', result: '{"task_id":5,"status":"created","title":"Pay bills"}' }] });
    expect(reply.conversationId).toBe(7);
    expect(chipFor(reply.toolCalls[0]!).label).toBe("added task 5");
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
  const reply: ChatMessage = { id: "2", role: "assistant", content: "I added “Buy groceries”.\nAnything else?", toolCalls: [added], createdAt: null };

  it("shows the assistant's text with its chips, and says who spoke", () => {
    const html = renderToStaticMarkup(<MessageBubble message={reply} />);
    expect(html).toContain("message--assistant");
    expect(text(html)).toMatch(/^Assistant: I added “Buy groceries”\. Anything else\? added task 4/);
  });

  it("escapes what the user typed instead of rendering it as HTML", () => {
    const html = renderToStaticMarkup(<MessageBubble message={{ id: "1", role: "user", content: "<img src=x onerror=alert(1)>", toolCalls: [], createdAt: null }} />);
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;img");
    expect(html).toContain("message--user");
  });

  it("marks a message that could not be sent and offers a retry", () => {
    const failed: ChatMessage = { id: "1", role: "user", content: "hello", toolCalls: [], createdAt: null, failed: true };
    expect(text(renderToStaticMarkup(<MessageBubble message={failed} onRetry={() => undefined} />))).toContain("Not sent. Retry");
    expect(renderToStaticMarkup(<MessageBubble message={failed} onRetry={() => undefined} />)).toContain('role="alert"');
  });

  it("folds stored tool messages into the assistant reply that follows them", () => {
    const history = toMessages([
      { id: 1, role: "user", content: "Add a task to buy groceries", created_at: "2026-01-01T00:00:00Z" },
      { id: 2, role: "tool", content: JSON.stringify([{ name: "add_task", arguments: { title: "buy groceries" }, result: { task_id: 1, status: "created", title: "buy groceries" } }]) },
      { id: 3, role: "assistant", content: "Added “buy groceries” as task 1." },
    ]);
    expect(history.map((m) => m.role)).toEqual(["user", "assistant"]);
    expect(history[1]!.toolCalls.map((c) => chipFor(c).label)).toEqual(["added task 1"]);
  });

  it("accepts history wrapped in an envelope and assistant messages carrying tool_calls", () => {
    const history = toMessages({ messages: [{ id: 9, role: "assistant", content: "Done", tool_calls: [{ name: "complete_task", arguments: { task_id: 1 }, result: { task_id: 1, status: "completed", title: "x" } }] }] });
    expect(history).toHaveLength(1);
    expect(chipFor(history[0]!.toolCalls[0]!).label).toBe("completed task 1");
  });
});
