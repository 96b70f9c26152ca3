export * from "./users.js";
export * from "./projects.js";
export * from "./project-events.js";
export * from "./idempotency-records.js";
export * from "./sessions.js";
export * from "./api-tokens.js";
export * from "./auth-events.js";
export * from "./jobs.js";
