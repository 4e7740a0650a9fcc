/** The error shape every API answer uses: {"error":{"code","message","details?"}}. */
export interface ApiErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export function errorResponse(status: number, code: string, message: string): Response {
  const body: ApiErrorBody = { error: { code, message } };
  return Response.json(body, { status, headers: { "cache-control": "no-store" } });
}
