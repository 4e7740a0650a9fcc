/**
 * Counts the /api requests each client has open in this process, so one client (a script trickling
 * uploads, say) cannot hold every connection to the backend: past MAX_REQUESTS_PER_CLIENT it gets 429.
 */
const open = new Map<string, number>();

/** Takes a slot for `client`; returns the function that gives it back (call it once), or null when the client is at `max`. */
export function takeSlot(client: string, max: number): (() => void) | null {
  const current = open.get(client) ?? 0;
  if (current >= max) return null;
  open.set(client, current + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (open.get(client) ?? 1) - 1;
    if (left <= 0) open.delete(client);
    else open.set(client, left);
  };
}
