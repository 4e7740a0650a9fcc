import { BlockList, isIP } from "node:net";
import { z } from "zod";

/**
 * The frontend server's settings, from its environment, checked by one zod schema. Read when a
 * request arrives (never at build time), so one build runs against any backend. The browser gets
 * none of them: everything it calls is on its own origin.
 */

type Source = Record<string, string | undefined>;

/** An unset or empty variable takes the default (Kubernetes manifests often set "" for "unset"). */
const unsetIfEmpty = (value: unknown): unknown => (typeof value === "string" && value.trim() === "" ? undefined : value);

const milliseconds = (fallback: number) =>
  z.preprocess(unsetIfEmpty, z.coerce.number({ error: "must be a number of milliseconds" }).int("must be a whole number of milliseconds").positive("must be above 0").default(fallback));

const count = (fallback: number) =>
  z.preprocess(unsetIfEmpty, z.coerce.number({ error: "must be a number" }).int("must be a whole number").positive("must be above 0").default(fallback));

export const DEFAULT_BACKEND_URL = "http://localhost:8000";

const backendUrl = z.preprocess(
  unsetIfEmpty,
  z
    .string()
    .trim()
    .default(DEFAULT_BACKEND_URL)
    .transform((raw, ctx) => {
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        ctx.addIssue({ code: "custom", message: `"${raw}" is not a valid URL; set it to e.g. ${DEFAULT_BACKEND_URL}` });
        return z.NEVER;
      }
      if (url.protocol !== "http:" && url.protocol !== "https:") {
        ctx.addIssue({ code: "custom", message: `"${raw}" must start with http:// or https://` });
        return z.NEVER;
      }
      return url;
    }),
);

/** TRUSTED_PROXIES: comma-separated addresses or CIDR ranges, e.g. "10.0.0.0/8, 127.0.0.1". */
const trustedProxies = z.preprocess(
  unsetIfEmpty,
  z
    .string()
    .default("")
    .transform((raw, ctx) => {
      const list = new BlockList();
      const entries = raw
        .split(",")
        .map((entry) => entry.trim())
        .filter(Boolean);
      for (const entry of entries) {
        const [address = "", prefix] = entry.split("/");
        const family = isIP(address);
        const bits = prefix === undefined ? undefined : Number(prefix);
        if (family === 0 || (bits !== undefined && !(Number.isInteger(bits) && bits >= 0 && bits <= (family === 4 ? 32 : 128)))) {
          ctx.addIssue({ code: "custom", message: `"${entry}" is neither an IP address nor a CIDR range such as 10.0.0.0/8` });
          return z.NEVER;
        }
        const type = family === 4 ? "ipv4" : "ipv6";
        if (bits === undefined) list.addAddress(address, type);
        else list.addSubnet(address, bits, type);
      }
      return { list, entries };
    }),
);

const EnvSchema = z.object({
  BACKEND_URL: backendUrl,
  BACKEND_CONNECT_TIMEOUT_MS: milliseconds(3_000),
  BACKEND_RESPONSE_TIMEOUT_MS: milliseconds(120_000),
  BACKEND_MAX_SOCKETS: count(256),
  BACKEND_QUEUE_TIMEOUT_MS: milliseconds(5_000),
  REQUEST_BODY_TIMEOUT_MS: milliseconds(10_000),
  MAX_REQUESTS_PER_CLIENT: count(32),
  TRUSTED_PROXIES: trustedProxies,
});

export type ServerEnv = z.output<typeof EnvSchema>;

/** The variables this module reads, in the order the README lists them. */
export const ENV_KEYS = Object.keys(EnvSchema.shape) as (keyof ServerEnv)[];

/** A setting that does not parse: names the variable, what is wrong and what it should look like. */
export class EnvError extends Error {
  override name = "EnvError";
}

let cache: { key: string; env: ServerEnv } | null = null;

/** Parses the environment (memoised on the raw values, so a changed variable is seen at once). */
export function serverEnv(source: Source = process.env): ServerEnv {
  const raw = Object.fromEntries(ENV_KEYS.map((key) => [key, source[key]]));
  const key = JSON.stringify(raw);
  if (cache?.key === key) return cache.env;
  const parsed = EnvSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new EnvError(`invalid frontend environment: ${problems.join("; ")}`);
  }
  cache = { key, env: parsed.data };
  return parsed.data;
}
