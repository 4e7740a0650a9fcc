import type { Context, TypedResponse } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

declare const encodes: unique symbol;

/**
 * JSON text that encodes a T exactly as JSON.stringify would write it (e.g. produced by PostgreSQL
 * from a query typed as T). Only the code that produces it may claim that, with a cast.
 */
export type JsonText<T> = string & { readonly [encodes]: T };

/** Answers with JSON text as c.json answers with the value it encodes: the same body bytes and headers. */
export function sendJsonText<T, S extends ContentfulStatusCode>(c: Context, text: JsonText<T>, status: S): Response & TypedResponse<T, S, "json"> {
  const response: Response = c.body(text, status, { "Content-Type": "application/json" });
  return response as Response & TypedResponse<T, S, "json">;
}
