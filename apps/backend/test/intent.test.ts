import { describe, expect, it } from "vitest";
import { parseIntent } from "../src/agent/offline/intent.ts";

describe("offline intent parser", () => {
  it.each([
    ["Add a task to buy groceries", { kind: "add", title: "Buy groceries" }],
    ["I need to remember to pay bills", { kind: "add", title: "Pay bills" }],
    ["Create a task: renew passport.", { kind: "add", title: "Renew passport" }],
    ["Remind me to call the dentist", { kind: "add", title: "Call the dentist" }],
    ["Add a task to delete old emails", { kind: "add", title: "Delete old emails" }],
    ["Show me all my tasks", { kind: "list", status: "all" }],
    ["list my tasks", { kind: "list", status: "all" }],
    ["What's pending?", { kind: "list", status: "pending" }],
    ["What's left to do?", { kind: "list", status: "pending" }],
    ["What have I completed?", { kind: "list", status: "completed" }],
    ["Mark task 3 as complete", { kind: "complete", ref: { id: 3 } }],
    ["task 4 is done", { kind: "complete", ref: { id: 4 } }],
    ["I finished task #7", { kind: "complete", ref: { id: 7 } }],
    ["Mark the groceries task as done", { kind: "complete", ref: { words: "groceries" } }],
    ["Delete the meeting task", { kind: "delete", ref: { words: "meeting" } }],
    ["remove task 2", { kind: "delete", ref: { id: 2 } }],
    ["Cancel task 5", { kind: "delete", ref: { id: 5 } }],
    ["Change task 1 to 'Call mom tonight'", { kind: "update", ref: { id: 1 }, title: "Call mom tonight" }],
    ['rename task 2 to "Buy oat milk"', { kind: "update", ref: { id: 2 }, title: "Buy oat milk" }],
    ["update the groceries task to Buy bread", { kind: "update", ref: { words: "groceries" }, title: "Buy bread" }],
    ["hello", { kind: "greeting" }],
    ["purple monkey dishwasher", { kind: "unknown" }],
    ["", { kind: "unknown" }],
  ])("%j", (message, intent) => {
    expect(parseIntent(message)).toEqual(intent);
  });
});
