/** What the offline assistant understood a message to ask for. */
export type TaskRef = { id: number } | { words: string };

export type Intent =
  | { kind: "add"; title: string }
  | { kind: "list"; status: "all" | "pending" | "completed" }
  | { kind: "complete"; ref: TaskRef }
  | { kind: "delete"; ref: TaskRef }
  | { kind: "update"; ref: TaskRef; title: string }
  | { kind: "greeting" }
  | { kind: "unknown" };

const TASK_NO = String.raw`(?:task\s*)?(?:number\s*|no\.?\s*)?#?\s*(\d+)`;
const re = (source: string): RegExp => new RegExp(source, "i");

const ADD_RULES: RegExp[] = [
  re(String.raw`\b(?:remember|remind me|don'?t let me forget)\s+(?:to\s+|that\s+|about\s+)?(.+)$`),
  re(String.raw`^(?:please\s+|can you\s+|could you\s+)?(?:add|create|make|new|put)\s+(?:me\s+)?(?:a\s+|an\s+)?(?:new\s+)?(?:task|todo|to-do|item|reminder)?\s*(?:to|:|called|named|for|that says|saying)?\s*(.+?)(?:\s+to my (?:list|tasks))?$`),
  re(String.raw`^i (?:need|have|want|must|should) to\s+(.+)$`),
];

const UPDATE_BY_NO = re(String.raw`\b(?:change|update|rename|edit|modify)\s+${TASK_NO}\s+(?:to|into|as)\s+(.+)$`);
const UPDATE_BY_WORDS = re(String.raw`\b(?:change|update|rename|edit|modify)\s+(?:the\s+|my\s+)?(.+?)\s+task\s+(?:to|into|as)\s+(.+)$`);

const DONE = String.raw`(?:done|complete|completed|finished|finish)`;
const COMPLETE_BY_NO: RegExp[] = [
  re(String.raw`\b(?:mark|set|check)\s+${TASK_NO}\s+(?:off\s+)?(?:as\s+)?${DONE}?`),
  re(String.raw`\b(?:complete|finish|finished|completed|done with|check off|tick off)\s+${TASK_NO}\b`),
  re(String.raw`\btask\s*#?\s*(\d+)\s+(?:is\s+)?${DONE}\b`),
];
const COMPLETE_BY_WORDS: RegExp[] = [
  re(String.raw`\b(?:mark|set|check off)\s+(?:the\s+|my\s+)?(.+?)\s+(?:task\s+)?(?:as\s+)?${DONE}\b`),
  re(String.raw`\b(?:i\s+)?(?:completed|finished|done with|complete|finish)\s+(?:the\s+|my\s+)?(.+?)(?:\s+task)?$`),
];

const DELETE_BY_NO = re(String.raw`\b(?:delete|remove|cancel|drop|erase)\s+${TASK_NO}\b`);
const DELETE_BY_WORDS = re(String.raw`\b(?:delete|remove|cancel|drop|erase)\s+(?:the\s+|my\s+)?(.+?)(?:\s+task)?$`);

const LIST_COMPLETED = re(String.raw`\bwhat (?:have|did) i (?:complete|completed|finish|finished|done)\b|\b(?:completed|finished|done) (?:tasks|ones|items)\b|\bshow (?:me )?(?:my )?(?:completed|finished|done)\b`);
const LIST_PENDING = re(String.raw`\bpending\b|\bwhat(?:'s| is| are)? (?:still )?(?:left|open|remaining|to do|todo|outstanding)\b|\b(?:unfinished|incomplete|open) tasks\b`);
const LIST_ALL = re(String.raw`\b(?:show|list|see|display|view|what are|what's on)\b.*\b(?:tasks?|todos?|to-dos?|list)\b|^(?:my )?(?:tasks|todos|list)$`);

const GREETING = re(String.raw`^(?:hi|hello|hey|help|what can you do)\b`);

/** Cleans a user-given title: quotes, trailing punctuation, first letter capitalised. */
export function cleanTitle(raw: string): string {
  const trimmed = raw
    .trim()
    .replace(/^["'“‘]+|["'”’]+$/g, "")
    .replace(/[.!?]+$/, "")
    .trim()
    .replace(/^["'“‘]+|["'”’]+$/g, "")
    .trim();
  return trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
}

function ref(match: RegExpExecArray, byNumber: boolean): TaskRef {
  const value = match[1] ?? "";
  return byNumber ? { id: Number(value) } : { words: value.trim() };
}

/** A deterministic reading of one message. Order matters: the most specific forms are tried first. */
export function parseIntent(message: string): Intent {
  const text = message.trim().replace(/\s+/g, " ").replace(/[.!]+$/, "");
  if (text.length === 0) return { kind: "unknown" };

  // "Add a task to delete old emails" adds; so adding forms that open the sentence go first.
  const opensWithAdd = /^(?:please\s+)?(?:add|create|new|remember|remind|i need|i have to|don'?t let me forget)\b/i.test(text);
  if (opensWithAdd) {
    for (const rule of ADD_RULES) {
      const match = rule.exec(text);
      if (match?.[1]) {
        const title = cleanTitle(match[1]);
        if (title) return { kind: "add", title };
      }
    }
  }

  let match = UPDATE_BY_NO.exec(text);
  if (match?.[2]) return { kind: "update", ref: ref(match, true), title: cleanTitle(match[2]) };
  match = UPDATE_BY_WORDS.exec(text);
  if (match?.[2]) return { kind: "update", ref: ref(match, false), title: cleanTitle(match[2]) };

  match = DELETE_BY_NO.exec(text);
  if (match) return { kind: "delete", ref: ref(match, true) };

  for (const rule of COMPLETE_BY_NO) {
    match = rule.exec(text);
    if (match) return { kind: "complete", ref: ref(match, true) };
  }

  if (LIST_COMPLETED.test(text)) return { kind: "list", status: "completed" };
  if (LIST_PENDING.test(text)) return { kind: "list", status: "pending" };
  if (LIST_ALL.test(text)) return { kind: "list", status: "all" };

  match = DELETE_BY_WORDS.exec(text);
  if (match?.[1]) return { kind: "delete", ref: ref(match, false) };
  for (const rule of COMPLETE_BY_WORDS) {
    match = rule.exec(text);
    if (match?.[1]) return { kind: "complete", ref: ref(match, false) };
  }

  for (const rule of ADD_RULES) {
    match = rule.exec(text);
    if (match?.[1]) return { kind: "add", title: cleanTitle(match[1]) };
  }

  if (GREETING.test(text)) return { kind: "greeting" };
  return { kind: "unknown" };
}
