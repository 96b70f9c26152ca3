import { TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import type { JobState } from "@trellis/db/constants";
import { ZodError, ZodRealError } from "zod";

/** tRPC's server-side (5xx) codes: never a domain reason's, see ClientErrorCode. */
type ServerErrorCode = "INTERNAL_SERVER_ERROR" | "NOT_IMPLEMENTED" | "BAD_GATEWAY" | "SERVICE_UNAVAILABLE" | "GATEWAY_TIMEOUT";
/**
 * A domain error is the caller's to act on (4xx): a deterministic answer that an idempotent
 * replay may repeat (idempotency/outcome.ts stores every DomainError). Failures of ours stay
 * plain errors (500) and are never stored.
 */
type ClientErrorCode = Exclude<TRPC_ERROR_CODE_KEY, ServerErrorCode>;

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
  JOB_NOT_FOUND: "NOT_FOUND",
  JOB_ALREADY_FINISHED: "CONFLICT",
  JOB_NOT_RETRYABLE: "CONFLICT",
  EXPORT_NOT_READY: "CONFLICT",
} as const satisfies Record<string, ClientErrorCode>;

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

/**
 * The records a versioned write can lose against, one entry per versioned entity. Each entity adds
 * itself where its schemas live (declaration merging: `declare module "…/errors.js" { interface
 * CurrentRecords { project: Project } }`), so the error shape sibling apps see types `current`
 * while this shared module imports no router.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface CurrentRecords {}
export type CurrentRecord = CurrentRecords[keyof CurrentRecords];

/**
 * The `data` of every error. `TCurrent` is the state a versioned write lost against (`current`):
 * any registered entity's record by default; one entity's where the caller knows which (a
 * project's: ProjectErrorData in routers/project/schemas.ts).
 */
export interface ErrorData<TCurrent = CurrentRecord> {
  reason?: Reason;
  requestId?: string;
  /** Dotted field path -> messages, e.g. `{ "patch.tags.3": ["Too long"] }`. */
  fieldErrors?: Record<string, string[]>;
  formErrors?: string[];
  /** On VERSION_CONFLICT: the version and state the write lost against. */
  currentVersion?: number;
  /** The current version as a strong ETag (REST If-Match). */
  currentEtag?: string;
  current?: TCurrent;
  /** On IDEMPOTENCY_IN_PROGRESS, RATE_LIMITED, LOGIN_THROTTLED: seconds to wait before retrying. */
  retryAfterSeconds?: number;
  /** On TOKEN_LIMIT_REACHED, STREAM_LIMIT_REACHED: the cap that was reached. */
  limit?: number;
  /** On JOB_ALREADY_FINISHED, JOB_NOT_RETRYABLE: the job's state when the command was refused. */
  jobState?: JobState;
}

/** What a DomainError carries; `current` is whatever record the write lost against. */
export type ErrorDetails = Omit<ErrorData<unknown>, "reason" | "requestId">;

const unsafeKeys = new Set(["__proto__", "constructor", "prototype"]);

// What a validation error says back is bounded, whatever the input: the client chooses every key
// and the number of problems. Unbounded, it grew with the square of the unknown keys: 2,000 made a
// 41.9 MB answer, 30,000 (311 KB, under the body limit) took the process down
// (regression/unknown-keys-error-size).

/** The message of every validation error: zod's own is the JSON of all its issues. */
export const VALIDATION_MESSAGE = "Input validation failed";
/** Said of each unknown key (zod names every unknown key in one message, as long as the input). */
export const UNKNOWN_FIELD = "Unknown field";
/** At most this many problems are named (field paths or form errors); one form error counts the rest. */
export const MAX_REPORTED_PROBLEMS = 50;
/** Field paths (and key names) are cut to this length: a 100 KB key name is not echoed whole. */
export const MAX_PATH_LENGTH = 100;
/** Messages are cut to this length (the longest a schema says, an enum's options, is ~270). */
export const MAX_MESSAGE_LENGTH = 500;

/** `text` cut to `max` characters with an ellipsis, never splitting a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

type Issue = ZodError["issues"][number];

const pathOf = (path: readonly PropertyKey[]): PropertyKey[] =>
  path.map((segment) => (typeof segment === "string" ? truncate(segment, MAX_PATH_LENGTH) : segment));

/** Stands for the problems left out; boundedIssues counts it again rather than naming it. */
const omittedIssue = (omitted: number): Issue => ({
  code: "custom",
  path: [],
  message: `and ${omitted.toLocaleString("en-US")} more problem${omitted === 1 ? "" : "s"}`,
  params: { omitted },
});
const omittedBy = (issue: Issue): number | undefined =>
  issue.code === "custom" && typeof issue.params?.omitted === "number" ? issue.params.omitted : undefined;

/** One issue with its client-chosen parts bounded: primitive members kept (strings cut), nested ones dropped. */
function boundedIssue(issue: Issue): Issue {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(issue)) {
    if (name === "path") out.path = pathOf(issue.path);
    else if (typeof value === "string") out[name] = truncate(value, name === "message" ? MAX_MESSAGE_LENGTH : MAX_PATH_LENGTH);
    else if (typeof value === "number" || typeof value === "boolean") out[name] = value;
    else if (typeof value === "bigint") out[name] = value.toString();
    else if (Array.isArray(value) && value.every((v) => typeof v !== "object" || v === null)) {
      // e.g. an enum's `values`: the schema's, but capped like everything else
      out[name] = value.slice(0, MAX_REPORTED_PROBLEMS).map((v) => (typeof v === "string" ? truncate(v, MAX_PATH_LENGTH) : v));
    }
  }
  return out as unknown as Issue;
}

/**
 * Zod issues, bounded: at most MAX_REPORTED_PROBLEMS problems (each unknown key is one), then one
 * issue counting the rest ("and 29,950 more problems"); unknown keys get a fixed message; paths
 * and messages are cut. Linear in the number of issues, and bounding bounded issues changes nothing.
 */
export function boundedIssues(issues: readonly Issue[]): Issue[] {
  const out: Issue[] = [];
  let budget = MAX_REPORTED_PROBLEMS;
  let omitted = 0;
  for (const issue of issues) {
    const counted = omittedBy(issue);
    if (counted !== undefined) {
      omitted += counted;
    } else if (issue.code === "unrecognized_keys") {
      const keys = issue.keys.slice(0, budget).map((k) => truncate(k, MAX_PATH_LENGTH));
      omitted += issue.keys.length - keys.length;
      budget -= keys.length;
      if (keys.length > 0) {
        out.push({ code: "unrecognized_keys", path: pathOf(issue.path), keys, message: keys.length === 1 ? UNKNOWN_FIELD : "Unknown fields" });
      }
    } else if (budget === 0) {
      omitted++;
    } else {
      budget--;
      out.push(boundedIssue(issue));
    }
  }
  if (omitted > 0) out.push(omittedIssue(omitted));
  return out;
}

/**
 * tRPC's input-validation error (BAD_REQUEST caused by a ZodError), bounded: a fixed message and
 * bounded issues. The REST adapter sends `cause.issues` as they are, so they must be bounded at
 * the source (see middleware/input-bounds.ts).
 */
export function boundedValidationError(cause: ZodError): TRPCError {
  return new TRPCError({ code: "BAD_REQUEST", message: VALIDATION_MESSAGE, cause: new ZodRealError(boundedIssues(cause.issues)) });
}

/** The message a client sees for a 4xx: fixed for validation errors, cut to MAX_MESSAGE_LENGTH otherwise. */
export function clientMessage(error: TRPCError, message: string): string {
  return error.cause instanceof ZodError ? VALIDATION_MESSAGE : truncate(message, MAX_MESSAGE_LENGTH);
}

/**
 * Flattens zod issues to dotted field paths, keeping nested paths (which `z.flattenError` drops),
 * bounded as boundedIssues says: at most MAX_REPORTED_PROBLEMS, the rest counted in a form error.
 */
export function fieldErrorsOf(error: ZodError): Pick<ErrorData, "fieldErrors" | "formErrors"> {
  // Field names come from the client. A Map, not an object literal, so `toString` or
  // `constructor` never hit Object.prototype (that was a 500: regression/prototype-keys-in-input).
  const fieldErrors = new Map<string, string[]>();
  const formErrors: string[] = [];
  const add = (path: readonly PropertyKey[], message: string) => {
    if (path.length === 0) {
      formErrors.push(message);
      return;
    }
    const key = truncate(path.map(String).join("."), MAX_PATH_LENGTH);
    // superjson refuses to send an object with these keys; no schema has such a field, so
    // they can only be unknown keys: name them in a form error instead.
    if (unsafeKeys.has(key)) {
      formErrors.push(`${key}: ${message}`);
      return;
    }
    const messages = fieldErrors.get(key);
    if (messages) messages.push(message);
    else fieldErrors.set(key, [message]);
  };
  for (const issue of boundedIssues(error.issues)) {
    // Unknown keys are reported on the object; name each key so forms and scripts can point at it.
    if (issue.code === "unrecognized_keys") for (const k of issue.keys) add([...issue.path, k], UNKNOWN_FIELD);
    else add(issue.path, issue.message);
  }
  return { fieldErrors: Object.fromEntries(fieldErrors), formErrors };
}

/** The `data` added to every error shape; see trpc.ts errorFormatter. */
export function errorData(error: TRPCError, requestId: string | undefined): ErrorData {
  const data: ErrorData = { requestId };
  if (error instanceof DomainError) {
    // A `current` comes from a versioned entity's own reader (domain/versioned-write.ts), so it is
    // one of the registered CurrentRecords; the kernel is generic and cannot say which.
    return { ...data, ...(error.details as Omit<ErrorData, "reason" | "requestId">), reason: error.reason };
  }
  if (error.cause instanceof ZodError) {
    return { ...data, reason: "VALIDATION_FAILED", ...fieldErrorsOf(error.cause) };
  }
  return data;
}
