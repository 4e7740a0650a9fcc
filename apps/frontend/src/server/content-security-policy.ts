/**
 * The Content-Security-Policy of the UI's pages. Scripts run only with the page's nonce (Next.js puts
 * it on its own script tags when it finds the policy on the request, see src/proxy.ts) or when such a
 * script loads them ('strict-dynamic'); everything else comes from the frontend's own origin; no page
 * may be framed. `next dev` also needs eval (React's dev tooling) and a websocket (hot reload).
 */
export function contentSecurityPolicy(nonce: string, dev = process.env.NODE_ENV === "development"): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' 'nonce-${nonce}'${dev ? " 'unsafe-inline'" : ""}`,
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${dev ? " ws:" : ""}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}
