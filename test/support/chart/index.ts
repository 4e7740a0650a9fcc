/** Test helpers for the todo-chatbot chart: render with the real helm, inspect, validate, check PSS. */
export * from "./helm.js";
export * from "./objects.js";
export * from "./schema.js";
export * from "./selectors.js";
export * from "./pod-security.js";
export * from "./network.js";
export * from "./unknown-fields.js";
