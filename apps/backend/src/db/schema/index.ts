export * from "./auth.ts";
export * from "./tasks.ts";
export * from "./conversations.ts";
