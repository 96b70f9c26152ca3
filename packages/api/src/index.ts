export { appRouter, createCaller, type AppRouter, type RouterInputs, type RouterOutputs } from "./router.js";
export { createContextInner, type Context, type ContextInnerOptions, type ResponseControl, type CookieOptions } from "./context.js";
export { createSessionSigner, sessionTokenFrom, SESSION_COOKIE, type Principal, type SessionSigner } from "./auth/session.js";
export { DomainError, reasonCodes, type Reason, type ErrorData } from "./errors.js";
export { createOpenApiDocument } from "./openapi.js";
