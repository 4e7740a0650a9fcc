import { describe, expect, it } from "vitest";
import { serverEnv } from "../src/config/env.ts";

describe("the frontend's environment", () => {
  it("has a default for every setting, and takes an empty variable as unset", () => {
    const env = serverEnv({ BACKEND_URL: "", BACKEND_CONNECT_TIMEOUT_MS: " " });
    expect(env.BACKEND_URL.href).toBe("http://localhost:8000/");
    expect(env.BACKEND_CONNECT_TIMEOUT_MS).toBe(3_000);
    expect(env.BACKEND_RESPONSE_TIMEOUT_MS).toBe(120_000);
    expect(env.BACKEND_MAX_SOCKETS).toBe(256);
    expect(env.BACKEND_QUEUE_TIMEOUT_MS).toBe(5_000);
    expect(env.REQUEST_BODY_TIMEOUT_MS).toBe(10_000);
    expect(env.MAX_REQUESTS_PER_CLIENT).toBe(32);
    expect(env.TRUSTED_PROXIES.entries).toEqual([]);
  });

  it("rejects a BACKEND_URL that is not an http(s) URL, naming the variable and the fix", () => {
    expect(() => serverEnv({ BACKEND_URL: "backend:8000" })).toThrow(/BACKEND_URL: "backend:8000" must start with http:\/\/ or https:\/\//);
    expect(() => serverEnv({ BACKEND_URL: "not a url" })).toThrow(/BACKEND_URL: "not a url" is not a valid URL; set it to e\.g\. http:\/\/localhost:8000/);
  });

  it("rejects timeouts and limits that are not positive whole numbers", () => {
    expect(() => serverEnv({ BACKEND_RESPONSE_TIMEOUT_MS: "2m" })).toThrow(/BACKEND_RESPONSE_TIMEOUT_MS: must be a number of milliseconds/);
    expect(() => serverEnv({ BACKEND_CONNECT_TIMEOUT_MS: "0" })).toThrow(/BACKEND_CONNECT_TIMEOUT_MS: must be above 0/);
    expect(() => serverEnv({ BACKEND_CONNECT_TIMEOUT_MS: "2.5" })).toThrow(/BACKEND_CONNECT_TIMEOUT_MS: must be a whole number of milliseconds/);
    expect(() => serverEnv({ MAX_REQUESTS_PER_CLIENT: "-1" })).toThrow(/MAX_REQUESTS_PER_CLIENT: must be above 0/);
  });

  it("reads TRUSTED_PROXIES as addresses and CIDR ranges, and refuses anything else", () => {
    const { TRUSTED_PROXIES } = serverEnv({ TRUSTED_PROXIES: "10.0.0.0/8, 127.0.0.1,::1" });
    expect(TRUSTED_PROXIES.list.check("10.1.2.3", "ipv4")).toBe(true);
    expect(TRUSTED_PROXIES.list.check("127.0.0.1", "ipv4")).toBe(true);
    expect(TRUSTED_PROXIES.list.check("::1", "ipv6")).toBe(true);
    expect(TRUSTED_PROXIES.list.check("192.168.1.1", "ipv4")).toBe(false);
    expect(() => serverEnv({ TRUSTED_PROXIES: "ingress-nginx" })).toThrow(/TRUSTED_PROXIES: "ingress-nginx" is neither an IP address nor a CIDR range/);
    expect(() => serverEnv({ TRUSTED_PROXIES: "10.0.0.0/33" })).toThrow(/TRUSTED_PROXIES: "10.0.0.0\/33"/);
  });
});
