import { NextResponse, type NextRequest } from "next/server";
import { contentSecurityPolicy } from "@/server/content-security-policy.ts";

/**
 * Next.js "proxy" (formerly middleware) for the pages: a fresh nonce per response and the
 * Content-Security-Policy naming it, on the response and on the request (Next.js reads the nonce
 * from there and puts it on every script it renders).
 *
 * Not run for /api: a proxy step makes Next.js buffer a request's whole body before the route
 * handler starts, which would put slow uploads out of the /api proxy's reach (its body timeout and
 * per-client limit, src/server/backend-proxy.ts).
 */
export function proxy(request: NextRequest): NextResponse {
  const policy = contentSecurityPolicy(btoa(crypto.randomUUID()));
  const headers = new Headers(request.headers);
  headers.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", policy);
  return response;
}

export const config = {
  matcher: [
    // every page; not /api, the static files (hashed chunks, the icon) nor /healthz; prefetches carry no HTML
    {
      source: "/((?!api/|_next/static|_next/image|icon.svg|favicon.ico|healthz).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
