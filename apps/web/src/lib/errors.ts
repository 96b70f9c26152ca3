import type { ErrorData, Project } from "@trellis/api/schemas";

/**
 * `error.data` as the API's errorFormatter shapes it (see packages/api/src/errors.ts): its
 * ErrorData, with tRPC's own `code` and `httpStatus`.
 */
export interface ApiErrorData extends ErrorData {
  code?: string;
  httpStatus?: number;
}

/**
 * The API data of a tRPC client error, or undefined for anything else (network failure,
 * a bug in our code). Duck-typed so it accepts both TRPCClientError and the
 * TRPCClientErrorLike shape React Query hands to components.
 */
export function errorDataOf(error: unknown): ApiErrorData | undefined {
  if (typeof error !== "object" || error === null || !("data" in error)) return undefined;
  const data = (error as { data: unknown }).data;
  return typeof data === "object" && data !== null ? (data as ApiErrorData) : undefined;
}

/** The session is missing or expired. Bad credentials on the login form are not this. */
export function isSignedOut(error: unknown): boolean {
  const data = errorDataOf(error);
  return data?.code === "UNAUTHORIZED" && data.reason !== "INVALID_CREDENTIALS";
}

export function isNotFound(error: unknown): boolean {
  return errorDataOf(error)?.code === "NOT_FOUND";
}

/** A stale expectedVersion: the server says which version is current and sends the record. */
export function versionConflictOf(error: unknown): { currentVersion: number; current: Project | undefined } | undefined {
  const data = errorDataOf(error);
  if (data?.reason !== "VERSION_CONFLICT" || typeof data.currentVersion !== "number") return undefined;
  return { currentVersion: data.currentVersion, current: data.current };
}

/** Retrying a 4xx repeats the same mistake; retry other failures (network, 5xx) twice. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  const status = errorDataOf(error)?.httpStatus;
  if (status !== undefined && status >= 400 && status < 500) return false;
  return failureCount < 2;
}

/**
 * Whether an intent's failure is its final answer, so its Idempotency-Key can be dropped.
 * Final: a 4xx about the request itself (validation, permission, not found, version conflict,
 * key reused), which sending it again would only repeat. Not final, so the intent is kept and
 * sent again with the same key: no answer at all (network), 5xx (the server rolled back),
 * 409 IDEMPOTENCY_IN_PROGRESS, 401 (signed out: it goes through after signing in), 408 and 429.
 */
export function isFinalFailure(error: unknown): boolean {
  const data = errorDataOf(error);
  const status = data?.httpStatus ?? responseStatusOf(error);
  if (status === undefined || status < 400 || status >= 500) return false;
  if (status === 401 || status === 408 || status === 429) return false;
  return !(status === 409 && data?.reason === "IDEMPOTENCY_IN_PROGRESS");
}

/** The HTTP status of a tRPC client error whose body was not a tRPC error (e.g. a proxy's page). */
function responseStatusOf(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null || !("meta" in error)) return undefined;
  const response = (error as { meta?: { response?: unknown } }).meta?.response;
  const status = (response as { status?: unknown } | undefined)?.status;
  return typeof status === "number" ? status : undefined;
}

/** A sentence for the user. Server 4xx messages are written for people; 5xx ones are not. */
export function messageOf(error: unknown): string {
  const data = errorDataOf(error);
  if (!data) {
    return "Could not reach the server. Check your connection and try again.";
  }
  if ((data.httpStatus ?? 500) >= 500) {
    return `Something went wrong on the server${data.requestId ? ` (request ${data.requestId})` : ""}. Try again.`;
  }
  // tRPC's own input validation puts raw zod JSON in the message; the field errors read better.
  const fields = Object.entries(data.fieldErrors ?? {}).map(([path, messages]) => `${path}: ${messages.join(", ")}`);
  if (data.reason === "VALIDATION_FAILED" && (fields.length > 0 || data.formErrors?.length)) {
    return `Invalid request. ${[...(data.formErrors ?? []), ...fields].join("; ")}`;
  }
  return error instanceof Error && error.message ? error.message : "The request was rejected.";
}
