export { appRouter, createCaller, type AppRouter, type RouterInputs, type RouterOutputs } from "./router.js";
export { createContextInner, type Context, type ContextInnerOptions, type ResponseControl, type CookieOptions } from "./context.js";
export { createSessionSigner, sessionTokenFrom, SESSION_COOKIE, type Principal, type SessionSigner } from "./auth/session.js";
export { DomainError, reasonCodes, type Reason, type ErrorData } from "./errors.js";
export { createOpenApiDocument } from "./openapi.js";
export { createServices, defaultIdempotency, type Services, type Logger, type IdempotencySettings, type FaultHooks } from "./context.js";
export { sweepExpired as sweepIdempotencyRecords } from "./idempotency/store.js";
export { startIdempotencySweeper } from "./idempotency/sweeper.js";
export { fingerprintOf } from "./idempotency/fingerprint.js";
