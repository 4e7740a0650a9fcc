/** The backend URL for an incoming /api/... path and query: BACKEND_URL's own path prefix is kept. */
export function upstreamUrl(base: URL, pathname: string, search: string): URL {
  const prefix = base.pathname.replace(/\/+$/, "");
  const url = new URL(base.origin);
  url.pathname = `${prefix}${pathname}`;
  url.search = search;
  return url;
}
