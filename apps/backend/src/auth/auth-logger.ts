import type { Logger } from "../logger.ts";

type Level = "debug" | "info" | "success" | "warn" | "error";

const EMAIL = /[^\s@"'<>(),;:]+@[^\s@"'<>(),;:]+/g;

/** A Better Auth message without what it may carry: drizzle's "Failed query: <SQL> params: <values>" and emails. */
export function scrubAuthMessage(message: string): string {
  return message.replace(/Failed query:[\s\S]*/i, "database query failed").replace(EMAIL, "[email]");
}

/**
 * What an error Better Auth passes along may be logged as: its type and codes along the cause chain
 * (e.g. DrizzleQueryError -> error 23505). Never messages: drizzle's holds the SQL and its
 * parameters (tokens, password hashes, emails), PostgreSQL's details hold row values.
 */
export function describeAuthLogArgument(value: unknown): Record<string, unknown> {
  if (!(value instanceof Error)) return { type: typeof value };
  const chain: { type: string; code?: string }[] = [];
  for (let current: unknown = value; current instanceof Error && chain.length < 6; current = current.cause) {
    const code = (current as { code?: unknown }).code;
    chain.push(typeof code === "string" ? { type: current.name, code } : { type: current.name });
  }
  return { errors: chain };
}

/**
 * Better Auth's logger option: every line it logs goes through the app's pino logger (JSON, with
 * redaction) as {component: "better-auth"}, scrubbed as above. Levels below warn are dropped: they
 * name the email of sign-up attempts.
 */
export function betterAuthLogger(logger: Logger) {
  return {
    level: "warn" as const,
    log: (level: Level, message: string, ...args: unknown[]): void => {
      const fields = { component: "better-auth", ...(args.length > 0 ? { details: args.map(describeAuthLogArgument) } : {}) };
      const text = scrubAuthMessage(message);
      if (level === "error") logger.error(fields, text);
      else if (level === "warn") logger.warn(fields, text);
      else logger.debug(fields, text);
    },
  };
}
