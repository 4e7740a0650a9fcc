import type { ChatMessage } from "../messages.ts";
import { SparkIcon } from "@/components/icons.tsx";
import { ToolChips } from "./ToolChips.tsx";

const WHO = { user: "You", assistant: "Assistant", tool: "Assistant actions" } as const;

/** One turn of the conversation: the text (line breaks kept) and, for the assistant, its actions. */
export function MessageBubble({ message, onRetry }: { message: ChatMessage; onRetry?: () => void }) {
  const mine = message.role === "user";
  return (
    <li className={`message message--${message.role}${message.failed ? " message--failed" : ""}`}>
      {!mine ? (
        <span className="message__avatar" aria-hidden="true">
          <SparkIcon />
        </span>
      ) : null}
      <div className="message__body">
        <span className="visually-hidden">{WHO[message.role]}: </span>
        {message.content ? <div className="message__text">{message.content}</div> : null}
        <ToolChips calls={message.toolCalls} />
        {message.failed ? (
          <div className="message__error" role="alert">
            Not sent.{" "}
            {onRetry ? (
              <button type="button" className="link-button" onClick={onRetry}>
                Retry
              </button>
            ) : null}
          </div>
        ) : null}
      </div>
    </li>
  );
}
