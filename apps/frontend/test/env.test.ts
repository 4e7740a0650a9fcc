import { describe, expect, it } from "vitest";
import { serverEnv } from "../src/config/env.ts";

describe("the frontend's environment", () => {
  it("has a default for every setting, and takes an empty variable as unset", () => {
    const env = serverEnv({ BACKEND_URL: "", BACKEND_CONNECT_TIMEOUT_MS: " " });
    expect(env.BACKEND_URL.href).toBe("http://localhost:8000/");
    expect(env.BACKEND_CONNECT_TIMEOUT_MS).toBe(3_000);
    expect(env.BACKEND_RESPONSE_TIMEOUT_MS).toBe(120_000);
  });

  it("rejects a BACKEND_URL that is not an http(s) URL, naming the variable and the fix", () => {
    expect(() => serverEnv({ BACKEND_URL: "backend:8000" })).toThrow(/BACKEND_URL: "backend:8000" must start with http:\/\/ or https:\/\//);
    expect(() => serverEnv({ BACKEND_URL: "not a url" })).toThrow(/BACKEND_URL: "not a url" is not a valid URL; set it to e\.g\. http:\/\/localhost:8000/);
  });

  it("rejects timeouts that are not positive whole numbers", () => {
    expect(() => serverEnv({ BACKEND_RESPONSE_TIMEOUT_MS: "2m" })).toThrow(/BACKEND_RESPONSE_TIMEOUT_MS: must be a number of milliseconds/);
    expect(() => serverEnv({ BACKEND_CONNECT_TIMEOUT_MS: "0" })).toThrow(/BACKEND_CONNECT_TIMEOUT_MS: must be above 0/);
    expect(() => serverEnv({ BACKEND_CONNECT_TIMEOUT_MS: "2.5" })).toThrow(/BACKEND_CONNECT_TIMEOUT_MS: must be a whole number of milliseconds/);
  });

});
