import { TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import { ZodError } from "zod";
import type { Project } from "./routers/project/schemas.js";

/**
 * Domain reasons a client can branch on. Each maps to exactly one tRPC code, so
 * callers never need to match on message text.
 */
export const reasonCodes = {
  VALIDATION_FAILED: "BAD_REQUEST",
  INPUT_TOO_LARGE: "BAD_REQUEST",
  INVALID_CURSOR: "BAD_REQUEST",
  UNKNOWN_OWNER: "BAD_REQUEST",
  EMPTY_PATCH: "BAD_REQUEST",
  UNKNOWN_VERSION: "BAD_REQUEST",
  IDEMPOTENCY_KEY_INVALID: "BAD_REQUEST",
  IDEMPOTENCY_KEY_REQUIRED: "BAD_REQUEST",
  IDEMPOTENCY_KEY_IN_BATCH: "BAD_REQUEST",
  IDEMPOTENCY_KEY_REUSED: "UNPROCESSABLE_CONTENT",
  IDEMPOTENCY_IN_PROGRESS: "CONFLICT",
  INVALID_CREDENTIALS: "UNAUTHORIZED",
  SIGNED_OUT: "UNAUTHORIZED",
  INSUFFICIENT_ROLE: "FORBIDDEN",
  PROJECT_NOT_FOUND: "NOT_FOUND",
  VERSION_CONFLICT: "CONFLICT",
  VERSION_MISMATCH: "PRECONDITION_FAILED",
  PRECONDITION_REQUIRED: "PRECONDITION_REQUIRED",
  PRECONDITION_MISMATCH: "BAD_REQUEST",
  EXPECTED_VERSION_REQUIRED: "BAD_REQUEST",
  ALREADY_ARCHIVED: "CONFLICT",
  NOT_ARCHIVED: "CONFLICT",
  RATE_LIMITED: "TOO_MANY_REQUESTS",
  LOGIN_THROTTLED: "TOO_MANY_REQUESTS",
  CSRF_REJECTED: "FORBIDDEN",
  INSUFFICIENT_SCOPE: "FORBIDDEN",
  SESSION_REQUIRED: "FORBIDDEN",
  CURRENT_PASSWORD_INCORRECT: "BAD_REQUEST",
  USER_NOT_FOUND: "NOT_FOUND",
  TOKEN_NOT_FOUND: "NOT_FOUND",
  EMAIL_TAKEN: "CONFLICT",
  LAST_ADMIN: "CONFLICT",
  TOKEN_LIMIT_REACHED: "CONFLICT",
  STREAM_LIMIT_REACHED: "TOO_MANY_REQUESTS",
} as const satisfies Record<string, TRPC_ERROR_CODE_KEY>;

export type Reason = keyof typeof reasonCodes;

export class DomainError extends TRPCError {
  readonly reason: Reason;
  /** Extra data for the client (e.g. the current record on a conflict). */
  readonly details: ErrorDetails;

  constructor(reason: Reason, message: string, details: ErrorDetails = {}) {
    super({ code: reasonCodes[reason], message });
    this.reason = reason;
    this.details = details;
  }
}

export interface ErrorData {
  reason?: Reason;
  requestId?: string;
  /** Dotted field path -> messages, e.g. `{ "patch.tags.3": ["Too long"] }`. */
  fieldErrors?: Record<string, string[]>;
  formErrors?: string[];
  /** On VERSION_CONFLICT: the version and state the write lost against. */
  currentVersion?: number;
  /** The current version as a strong ETag (REST If-Match). */
  currentEtag?: string;
  current?: Project;
  /** On IDEMPOTENCY_IN_PROGRESS, RATE_LIMITED, LOGIN_THROTTLED: seconds to wait before retrying. */
  retryAfterSeconds?: number;
}

export type ErrorDetails = Omit<ErrorData, "reason" | "requestId">;

const unsafeKeys = new Set(["__proto__", "constructor", "prototype"]);

/** Flattens zod issues to dotted field paths, keeping nested paths (which `z.flattenError` drops). */
export function fieldErrorsOf(error: ZodError): Pick<ErrorData, "fieldErrors" | "formErrors"> {
  // Field names come from the client. A Map, not an object literal, so `toString` or
  // `constructor` never hit Object.prototype (that was a 500: regression/prototype-keys-in-input).
  const fieldErrors = new Map<string, string[]>();
  const formErrors: string[] = [];
  for (const issue of error.issues) {
    // Unknown keys are reported on the object; name each key so forms and scripts can point at it.
    const paths =
      issue.code === "unrecognized_keys"
        ? issue.keys.map((k) => [...issue.path, k])
        : [issue.path];
    for (const path of paths) {
      if (path.length === 0) {
        formErrors.push(issue.message);
        continue;
      }
      const key = path.map(String).join(".");
      // superjson refuses to send an object with these keys; no schema has such a field, so
      // they can only be unknown keys: name them in a form error instead.
      if (unsafeKeys.has(key)) {
        formErrors.push(`${key}: ${issue.message}`);
        continue;
      }
      fieldErrors.set(key, [...(fieldErrors.get(key) ?? []), issue.message]);
    }
  }
  return { fieldErrors: Object.fromEntries(fieldErrors), formErrors };
}

/** The `data` added to every error shape; see trpc.ts errorFormatter. */
export function errorData(error: TRPCError, requestId: string | undefined): ErrorData {
  const data: ErrorData = { requestId };
  if (error instanceof DomainError) {
    return { ...data, ...error.details, reason: error.reason };
  }
  if (error.cause instanceof ZodError) {
    return { ...data, reason: "VALIDATION_FAILED", ...fieldErrorsOf(error.cause) };
  }
  return data;
}
