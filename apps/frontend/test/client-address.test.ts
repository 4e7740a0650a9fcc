import { describe, expect, it } from "vitest";
import { serverEnv } from "../src/config/env.ts";
import { clientAddress, normalizeAddress } from "../src/server/client-address.ts";

const trusting = (value: string) => serverEnv({ TRUSTED_PROXIES: value }).TRUSTED_PROXIES.list;
const nobody = trusting("");

describe("the client address the proxy sends as X-Forwarded-For", () => {
  it("is the TCP peer when no trusted proxy is configured, whatever the client claimed", () => {
    expect(clientAddress("192.168.49.1", "203.0.113.9", nobody)).toBe("192.168.49.1");
    expect(clientAddress("::ffff:10.244.0.7", "1.1.1.1, 2.2.2.2", nobody)).toBe("10.244.0.7");
    expect(clientAddress(null, "203.0.113.9", nobody)).toBeNull();
  });

  it("behind a trusted proxy, is the right-most address that proxy chain did not add itself", () => {
    const trusted = trusting("10.0.0.0/8");
    // the ingress (10.0.0.5) appended the address it saw (198.51.100.7); the client claimed 203.0.113.9
    expect(clientAddress("10.0.0.5", "203.0.113.9, 198.51.100.7", trusted)).toBe("198.51.100.7");
    // two trusted hops
    expect(clientAddress("10.0.0.5", "203.0.113.9, 198.51.100.7, 10.1.1.1", trusted)).toBe("198.51.100.7");
    // garbage in the chain: nothing left of it is believed
    expect(clientAddress("10.0.0.5", "198.51.100.7, evil, 10.1.1.1", trusted)).toBe("10.1.1.1");
    // a trusted proxy that sent no header is itself the client
    expect(clientAddress("10.0.0.5", null, trusted)).toBe("10.0.0.5");
  });

  it("believes a claim only from a trusted peer", () => {
    expect(clientAddress("192.168.49.1", "198.51.100.7", trusting("10.0.0.0/8"))).toBe("192.168.49.1");
  });

  it("normalises addresses and refuses what is none", () => {
    expect(normalizeAddress(" [::1] ")).toBe("::1");
    expect(normalizeAddress("::FFFF:127.0.0.1")).toBe("127.0.0.1");
    expect(normalizeAddress("unknown")).toBeNull();
  });
});
