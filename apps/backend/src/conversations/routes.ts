import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import type { Db } from "../db/database.ts";
import type { AppEnv } from "../http/app-env.ts";
import { errorResponses, notFound } from "../http/errors.ts";
import { NEXT_CURSOR_HEADER, PAGE_DEFAULT, PAGE_MAX, PageQuery, pageHeaders } from "../http/paging.ts";
import { validationHook } from "../http/validation.ts";
import { UserParams } from "../tasks/schemas.ts";
import { findConversation, listConversations, listMessages } from "./repository.ts";
import { ConversationOut, ConversationParams, MessageOut, toConversationOut, toMessageOut } from "./schemas.ts";

const security: Record<string, string[]>[] = [{ bearerAuth: [] }, { sessionCookie: [] }];

const list = createRoute({
  method: "get",
  path: "/api/{user_id}/conversations",
  tags: ["chat"],
  summary: "The caller's conversations, most recently active first, a page at a time",
  description: `\`limit\` per page (default ${PAGE_DEFAULT}, at most ${PAGE_MAX}); when more follow, the ${NEXT_CURSOR_HEADER} header holds the \`cursor\` of the next page.`,
  security,
  request: { params: UserParams, query: PageQuery },
  responses: {
    200: { description: "one page of conversations", headers: pageHeaders, content: { "application/json": { schema: z.array(ConversationOut) } } },
    ...errorResponses(400, 401, 403, 503),
  },
});

const history = createRoute({
  method: "get",
  path: "/api/{user_id}/conversations/{id}/messages",
  tags: ["chat"],
  summary: "A conversation's messages, a page at a time",
  description:
    `The first page is the newest \`limit\` messages (default ${PAGE_DEFAULT}, at most ${PAGE_MAX}), oldest first within the page; ` +
    `when older ones exist, the ${NEXT_CURSOR_HEADER} header holds the \`cursor\` of the page before it.`,
  security,
  request: { params: ConversationParams, query: PageQuery },
  responses: {
    200: { description: "one page of messages, oldest first", headers: pageHeaders, content: { "application/json": { schema: z.array(MessageOut) } } },
    ...errorResponses(400, 401, 403, 404, 503),
  },
});

export function conversationRoutes(db: Db, signedIn: MiddlewareHandler<AppEnv>) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use("/api/:user_id/conversations", signedIn);
  app.use("/api/:user_id/conversations/*", signedIn);

  app.openapi(list, async (c) => {
    const page = await listConversations(db, c.get("user").id, c.req.valid("query"));
    if (page.nextCursor !== undefined) c.header(NEXT_CURSOR_HEADER, String(page.nextCursor));
    return c.json(page.items.map(toConversationOut), 200);
  });

  app.openapi(history, async (c) => {
    const { id } = c.req.valid("param");
    const userId = c.get("user").id;
    if (!(await findConversation(db, userId, id))) throw notFound(`conversation ${id}`);
    const { limit, cursor } = c.req.valid("query");
    const page = await listMessages(db, userId, id, { limit, cursor });
    if (page.nextCursor !== undefined) c.header(NEXT_CURSOR_HEADER, String(page.nextCursor));
    return c.json(page.items.map(toMessageOut), 200);
  });
  return app;
}
