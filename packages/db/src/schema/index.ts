export * from "./users.js";
export * from "./projects.js";
export * from "./project-events.js";
export * from "./idempotency-records.js";
