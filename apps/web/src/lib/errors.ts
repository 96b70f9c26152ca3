import type { ErrorData, Project } from "@trellis/api/schemas";

/** `error.data` as the API's errorFormatter shapes it (see packages/api/src/errors.ts). */
export interface ApiErrorData extends ErrorData {
  code?: string;
  httpStatus?: number;
  currentVersion?: number;
  current?: Project;
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
