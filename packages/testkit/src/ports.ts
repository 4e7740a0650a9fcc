import { readFileSync } from "node:fs";
import { createServer } from "node:net";

// Ports handed out by this process, never handed out twice.
const handedOut = new Set<number>();

let ephemeral: { low: number; high: number } | undefined;

/** The kernel's ephemeral port range (net.ipv4.ip_local_port_range; Linux's default where it cannot be read). */
export function ephemeralPortRange(): { low: number; high: number } {
  if (!ephemeral) {
    let text = "32768 60999"; // not Linux: the kernel's default range
    try {
      text = readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8");
    } catch {
      // keep the default
    }
    const [low = 32768, high = 60999] = text.trim().split(/\s+/).map(Number);
    ephemeral = { low, high };
  }
  return ephemeral;
}

/**
 * The ports to draw from: those below the kernel's ephemeral range, as packages/local-cluster/cluster.sh
 * does. A port in that range, even one checked free, can be taken by any outgoing connection or listen(0)
 * before the server meant for it binds it.
 */
function candidateRange(): { from: number; count: number } {
  const { low, high } = ephemeralPortRange();
  if (low - 10000 >= 1000) return { from: 10000, count: low - 10000 };
  if (65535 - high >= 1000) return { from: high + 1, count: 65535 - high };
  return { from: 20000, count: 40000 };
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** A free TCP port on loopback, outside the kernel's ephemeral range, not handed out before in this process. */
export async function freePort(): Promise<number> {
  const { from, count } = candidateRange();
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = from + Math.floor(Math.random() * count);
    if (handedOut.has(port)) continue;
    if (await bindable(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`no free TCP port on 127.0.0.1 between ${from} and ${from + count - 1} after 200 tries`);
}
