import { z } from "@hono/zod-openapi";
import { ToolCallOut } from "../conversations/schemas.ts";
import { hasNoNul, NO_NUL_MESSAGE } from "../http/text.ts";

export const MESSAGE_MAX = 4000;

export const ChatBody = z
  .object({
    conversation_id: z.number().int().positive().max(2_147_483_647).optional().openapi({ description: "continue this conversation; omit to start one" }),
    message: z
      .string()
      .trim()
      .min(1, "must not be empty")
      .max(MESSAGE_MAX, `must be at most ${MESSAGE_MAX} characters`)
      .refine(hasNoNul, NO_NUL_MESSAGE),
  })
  .strict()
  .openapi("ChatRequest", { example: { message: "Add a task to buy groceries" } });

export const ChatReply = z
  .object({
    conversation_id: z.number().int(),
    response: z.string(),
    tool_calls: z.array(ToolCallOut),
  })
  .openapi("ChatReply");

export type ChatReply = z.infer<typeof ChatReply>;
