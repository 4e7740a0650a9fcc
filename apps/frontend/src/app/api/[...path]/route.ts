import { proxyToBackend } from "@/server/backend-proxy.ts";

// Every /api/* request (auth included) goes to BACKEND_URL, read when the request arrives.
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const forward = (request: Request): Promise<Response> => proxyToBackend(request);

export { forward as GET, forward as POST, forward as PUT, forward as PATCH, forward as DELETE, forward as HEAD, forward as OPTIONS };
