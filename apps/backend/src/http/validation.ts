import type { Context } from "hono";
import type { ZodError } from "zod";
import { sendError } from "./errors.ts";

interface Issue {
  field: string;
  message: string;
}

/** Flattens zod issues into {field, message}, where field is a dotted path or an unknown key. */
export function describeIssues(error: ZodError): Issue[] {
  return error.issues.flatMap((issue): Issue[] => {
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({ field: [...issue.path, key].join("."), message: "unknown field" }));
    }
    const field = issue.path.map(String).join(".") || "body";
    return [{ field, message: issue.message }];
  });
}

/** OpenAPIHono's defaultHook: a failed validation answers 400 naming the field(s). */
export function validationHook(result: { success: true } | { success: false; error: ZodError }, c: Context): Response | undefined {
  if (result.success) return undefined;
  const issues = describeIssues(result.error);
  const message = issues.map((issue) => `${issue.field}: ${issue.message}`).join("; ");
  return sendError(c, 400, "invalid_input", message, issues);
}
