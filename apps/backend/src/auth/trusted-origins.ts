/**
 * The origins Better Auth accepts on state-changing requests (sign-up, sign-in, sign-out):
 * - PUBLIC_URL and every TRUSTED_ORIGINS entry;
 * - the request's own Origin when its host equals the host the request was sent to
 *   (X-Forwarded-Host from the frontend's proxy, else Host). On Minikube the address the browser
 *   uses (LoadBalancer IP, NodePort URL) is unknown at deploy time; this is how it is trusted.
 * A browser cannot forge Host or X-Forwarded-Host on a cross-site request, so a foreign Origin is
 * still refused.
 */
export function trustedOriginsFor(request: Request | undefined, publicUrl: string, extra: readonly string[]): string[] {
  const origins = [new URL(publicUrl).origin, ...extra];
  if (!request) return origins;
  const origin = request.headers.get("origin");
  if (!origin) return origins;
  const target = firstValue(request.headers.get("x-forwarded-host")) ?? firstValue(request.headers.get("host"));
  if (!target) return origins;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return origins;
  }
  if (originHost.toLowerCase() === target.toLowerCase()) origins.push(origin);
  return origins;
}

function firstValue(header: string | null): string | undefined {
  const value = header?.split(",")[0]?.trim();
  return value ? value : undefined;
}
