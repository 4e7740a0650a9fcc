import type { Context, TypedResponse } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/**
 * A JSON response body made ahead of time (UTF-8 bytes of JSON.stringify of a `T`), e.g. to keep in a
 * cache: sending it again skips serialising and encoding. Made only by toJsonBody.
 */
export type JsonBody<T> = Uint8Array<ArrayBuffer> & { readonly __encodes: T };

export const toJsonBody = <T>(value: T): JsonBody<T> => new TextEncoder().encode(JSON.stringify(value)) as JsonBody<T>;

/**
 * Sends a JsonBody with the status, content type and response type `c.json(value, status)` would give,
 * so the OpenAPI route still checks `T` against the route's schema.
 */
export function sendJsonBody<T, S extends ContentfulStatusCode>(c: Context, body: JsonBody<T>, status: S): TypedResponse<T, S, "json"> {
  // the bytes are JSON.stringify(T)'s: the response is the one c.json(T) returns, minus the re-encoding
  return c.body(body, status, { "content-type": "application/json" }) as unknown as TypedResponse<T, S, "json">;
}
