/**
 * PostgreSQL text cannot hold a NUL character: a title or message with one used to fail in the
 * database (500). The schemas refuse it up front, naming the field.
 */
export const NO_NUL_MESSAGE = "must not contain a NUL character (\\u0000)";

export const hasNoNul = (value: string): boolean => !value.includes("\u0000");
