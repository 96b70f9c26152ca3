// Browser-safe entry point: zod schemas, constants and pure functions (no server code, no Node imports).
export * from "./routers/project/schemas.js";
export * from "./routers/auth/schemas.js";
export * from "./routers/user/schemas.js";
export { projectStatuses, projectActions, userRoles } from "@trellis/db/constants";
export type { ProjectStatus, ProjectAction, UserRole } from "@trellis/db/constants";
export { reasonCodes, type Reason } from "./errors.js";
/**
 * `error.data` of any procedure. Projects are the only versioned entity so far, so `current` is a
 * Project; a second versioned entity widens it to the union of their states.
 */
export type { ProjectErrorData as ErrorData } from "./routers/project/schemas.js";
export { canonicalJson, NestingTooDeepError } from "./canonical-json.js";
export { threeWayMerge, resolveMerge, patchBetween, mergeTags, type MergeResult, type FieldConflict, type MergeField } from "./routers/project/merge.js";
export * from "./routers/token/schemas.js";
export * from "./routers/admin/schemas.js";
export * from "./routers/audit/schemas.js";
export { tokenScopes, authActions } from "@trellis/db/constants";
export type { TokenScope, AuthAction } from "@trellis/db/constants";
export * from "./routers/project/bulk-schemas.js";
export * from "./routers/job/schemas.js";
export { jobStates, jobItemOutcomes } from "@trellis/db/constants";
export type { JobState, JobItemOutcome } from "@trellis/db/constants";
export * from "./routers/project/export-schemas.js";
export * from "./routers/import/schemas.js";
