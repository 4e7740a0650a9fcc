import { readFileSync } from "node:fs";
import { z } from "zod";

/** Every setting the service reads, parsed once at start-up. */
const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  HOST: z.string().min(1).default("0.0.0.0"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must start with postgres:// or postgresql://")
    .optional(),
  /** the password for a DATABASE_URL that carries none (the chart's in-cluster PostgreSQL: POSTGRES_PASSWORD) */
  DATABASE_PASSWORD: z.string().min(1).optional(),
  DATA_DIR: z.string().min(1).default("./.data"),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  BETTER_AUTH_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
  PUBLIC_URL: z.url().default("http://localhost:3000"),
  TRUSTED_ORIGINS: z
    .string()
    .default("")
    .transform((value) =>
      value
        .split(",")
        .map((origin) => origin.trim())
        .filter((origin) => origin.length > 0),
    ),
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_MODEL: z.string().min(1).default("gpt-4o-mini"),
  OPENAI_BASE_URL: z.url().optional(),
  OPENAI_AGENTS_TRACING: z
    .enum(["0", "1", "true", "false"])
    .default("0")
    .transform((value) => value === "1" || value === "true"),
  SESSION_CACHE_TTL_MS: z.coerce.number().int().min(0).max(60_000).default(5_000),
  TASK_LIST_CACHE_MB: z.coerce.number().int().min(0).max(1024).default(8),
  CHAT_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(64 * 1024),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(9_500).default(8_000),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type Env = z.infer<typeof EnvSchema>;

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Empty strings count as unset, so `FOO=` in a ConfigMap behaves like no FOO. */
function withoutEmpty(source: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(source).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ""));
}

/**
 * The secret settings that may instead be read from a file: NAME_FILE holds its path (e.g. a key of a
 * Kubernetes Secret mounted read-only), so that the value never sits in the process environment.
 */
export const fileSettings = ["DATABASE_URL", "DATABASE_PASSWORD", "BETTER_AUTH_SECRET", "OPENAI_API_KEY"] as const;

/** Replaces every NAME_FILE by NAME with the file's content (one trailing newline dropped). */
function withFileSettings(source: Record<string, string>): Record<string, string> {
  const resolved = { ...source };
  for (const name of fileSettings) {
    const fileVariable = `${name}_FILE`;
    const path = source[fileVariable];
    delete resolved[fileVariable];
    if (path === undefined) continue;
    if (source[name] !== undefined) {
      throw new ConfigError(`${name} and ${fileVariable} are both set: set only one (${fileVariable}=${path} would give the value)`);
    }
    let content: string;
    try {
      content = readFileSync(path, "utf8");
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ConfigError(`${fileVariable}=${path} cannot be read (${reason}): mount the file there or unset ${fileVariable}`);
    }
    const value = content.replace(/\r?\n$/, "");
    if (value === "") throw new ConfigError(`${fileVariable}=${path} is empty: put the value of ${name} in it or unset ${fileVariable}`);
    resolved[name] = value;
  }
  return resolved;
}

/** DATABASE_URL with DATABASE_PASSWORD put in, when that is set. */
function withDatabasePassword(env: Env): Env {
  if (env.DATABASE_PASSWORD === undefined) return env;
  if (!env.DATABASE_URL) throw new ConfigError("DATABASE_PASSWORD is set without DATABASE_URL: set DATABASE_URL (without a password) too");
  const url = new URL(env.DATABASE_URL);
  if (url.password !== "") {
    throw new ConfigError("DATABASE_URL already has a password and DATABASE_PASSWORD is set too: keep the password in one of them");
  }
  url.password = env.DATABASE_PASSWORD;
  return { ...env, DATABASE_URL: url.toString() };
}

/**
 * Parses the environment. Throws ConfigError with one line naming the variable that is wrong,
 * e.g. "BETTER_AUTH_SECRET is required when NODE_ENV=production". Each secret setting may come from a
 * file instead (NAME_FILE, see {@link fileSettings}); setting both NAME and NAME_FILE is an error.
 */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = EnvSchema.safeParse(withFileSettings(withoutEmpty(source)));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = issue?.path.join(".") || "environment";
    throw new ConfigError(`${name} is invalid: ${issue?.message ?? "unknown problem"}`);
  }
  const env = withDatabasePassword(parsed.data);
  if (env.NODE_ENV === "production") {
    for (const name of ["BETTER_AUTH_SECRET", "DATABASE_URL"] as const) {
      if (!env[name]) {
        throw new ConfigError(`${name} is required when NODE_ENV=production (set it or ${name}_FILE in the environment)`);
      }
    }
  }
  return env;
}
