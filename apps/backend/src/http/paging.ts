import { z } from "@hono/zod-openapi";

/** Page sizes of the list routes (GET …/tasks, GET …/conversations/{id}/messages). */
export const PAGE_DEFAULT = 100;
export const PAGE_MAX = 500;
/** The response header carrying the cursor of the next page; absent on the last page. */
export const NEXT_CURSOR_HEADER = "X-Next-Cursor";

export const PageQuery = z.object({
  limit: z.coerce
    .number({ error: `must be an integer from 1 to ${PAGE_MAX}` })
    .int(`must be an integer from 1 to ${PAGE_MAX}`)
    .min(1, `must be an integer from 1 to ${PAGE_MAX}`)
    .max(PAGE_MAX, `must be an integer from 1 to ${PAGE_MAX}`)
    .default(PAGE_DEFAULT)
    .openapi({ type: "integer", description: `items per page (default ${PAGE_DEFAULT}, at most ${PAGE_MAX})` }),
  cursor: z.coerce
    .number({ error: "must be the X-Next-Cursor value of the previous page" })
    .int("must be the X-Next-Cursor value of the previous page")
    .positive("must be the X-Next-Cursor value of the previous page")
    .max(2_147_483_647, "must be the X-Next-Cursor value of the previous page")
    .optional()
    .openapi({ type: "integer", description: `the ${NEXT_CURSOR_HEADER} header of the previous page; omit for the first page` }),
});

export interface Page<T> {
  items: T[];
  /** the cursor of the next page, when there is one */
  nextCursor?: number | undefined;
}

/** The documented response headers of a paged list. */
export const pageHeaders = z.object({
  [NEXT_CURSOR_HEADER]: z
    .string()
    .optional()
    .openapi({ description: "send it as `cursor` to get the next page; absent on the last page" }),
});
