/** Where the /api proxy sends requests. Read on every request, never at build time. */
export const DEFAULT_BACKEND_URL = "http://localhost:8000";

export function backendUrl(env: Record<string, string | undefined> = process.env): URL {
  const raw = env.BACKEND_URL?.trim() || DEFAULT_BACKEND_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`BACKEND_URL "${raw}" is not a valid URL; set it to e.g. http://localhost:8000`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Error(`BACKEND_URL "${raw}" must start with http:// or https://`);
  }
  return url;
}

/** The backend URL for an incoming /api/... path and query: the base's own path prefix is kept. */
export function upstreamUrl(base: URL, pathname: string, search: string): URL {
  const prefix = base.pathname.replace(/\/+$/, "");
  const url = new URL(base.origin);
  url.pathname = `${prefix}${pathname}`;
  url.search = search;
  return url;
}
