import { z } from "@hono/zod-openapi";
import { CONVERSATION_TITLE_MAX, type Conversation, type Message } from "../db/schema/conversations.ts";

export const ConversationParams = z.object({
  user_id: z.string().min(1).openapi({ param: { name: "user_id", in: "path" } }),
  id: z.coerce
    .number({ error: "must be a positive integer" })
    .int("must be a positive integer")
    .positive("must be a positive integer")
    .max(2_147_483_647, "is too large")
    .openapi({ param: { name: "id", in: "path" }, type: "integer" }),
});

export const ConversationOut = z
  .object({
    id: z.number().int(),
    title: z.string().openapi({
      description: `the first user message on one line, cut to ${CONVERSATION_TITLE_MAX} characters (ending in … when cut); set by the server when the conversation starts`,
      example: "Add a task to buy groceries",
    }),
    created_at: z.string().openapi({ format: "date-time" }),
    updated_at: z.string().openapi({ format: "date-time" }),
  })
  .openapi("Conversation");

export const ToolCallOut = z
  .object({ name: z.string(), arguments: z.record(z.string(), z.unknown()), result: z.unknown() })
  .openapi("ToolCall");

export const MessageOut = z
  .object({
    id: z.number().int(),
    role: z.enum(["user", "assistant", "tool"]),
    content: z.string().openapi({ description: "the text; for role \"tool\" a JSON ToolCall" }),
    created_at: z.string(),
  })
  .openapi("Message");

export const toConversationOut = (c: Conversation): z.infer<typeof ConversationOut> => ({
  id: c.id,
  title: c.title,
  created_at: c.createdAt.toISOString(),
  updated_at: c.updatedAt.toISOString(),
});

export const toMessageOut = (m: Message): z.infer<typeof MessageOut> => ({
  id: m.id,
  role: m.role,
  content: m.content,
  created_at: m.createdAt.toISOString(),
});
