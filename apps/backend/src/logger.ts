import { pino, type Logger } from "pino";

export type { Logger };

/**
 * JSON logs on stdout. Request handlers log through a child carrying the request id.
 * Never log bodies, tokens or cookies: the redaction below is a safety net, not the policy.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: "todo-backend" },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ["authorization", "cookie", "password", "token", "*.authorization", "*.cookie", "*.password", "*.token"],
      censor: "[redacted]",
    },
  });
}
