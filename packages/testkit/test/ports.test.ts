import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { ephemeralPortRange, freePort } from "../src/ports.ts";

describe("freePort", () => {
  it("hands out distinct loopback ports below the kernel's ephemeral range, each one bindable", async () => {
    const { low } = ephemeralPortRange();
    const ports: number[] = [];
    for (let i = 0; i < 50; i++) ports.push(await freePort());
    expect(new Set(ports).size).toBe(ports.length);
    for (const port of ports) expect(port).toBeLessThan(low);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(ports[0], "127.0.0.1", resolve);
    });
    await new Promise((resolve) => server.close(resolve));
  });
});
