import { createConnection, createServer, type Server as NetServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

export interface Balancer {
  readonly url: string;
  /** how many connections went to each backend, in the order given */
  readonly connections: number[];
  close(): Promise<void>;
}

/**
 * A round-robin TCP balancer on 127.0.0.1, as a Kubernetes Service spreads the frontend's connections
 * over the backend replicas: each new connection goes to the next backend.
 */
export async function startBalancer(backends: readonly URL[]): Promise<Balancer> {
  const connections = backends.map(() => 0);
  const open = new Set<Socket>();
  let next = 0;
  const server: NetServer = createServer((client) => {
    const index = next++ % backends.length;
    connections[index]! += 1;
    const target = backends[index]!;
    const upstream = createConnection({ host: target.hostname, port: Number(target.port) });
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.once("close", () => open.delete(socket));
    }
    client.pipe(upstream).pipe(client);
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
