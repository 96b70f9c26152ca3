import { retryLink, type TRPCClientError, type TRPCLink } from "@trpc/client";
import type { AnyRouter } from "@trpc/server";
import type { ErrorData as ApiErrorData } from "@trellis/api";

export interface RetryPolicy {
  /** Total attempts, the first included (default 4). */
  attempts: number;
  /** First backoff delay; doubles each attempt, with jitter (default 250 ms). */
  baseDelayMs: number;
  /** Upper bound for one delay (default 5 s). */
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { attempts: 4, baseDelayMs: 250, maxDelayMs: 5_000 };

/** What a retry decision reads: the API's reason and Retry-After hint, and tRPC's httpStatus. */
type ErrorData = Pick<ApiErrorData, "reason" | "retryAfterSeconds"> & { httpStatus?: number };

const dataOf = (error: TRPCClientError<AnyRouter>) => (error.data ?? undefined) as ErrorData | undefined;

/**
 * Safe to send again with the same Idempotency-Key: the request never got an answer (network),
 * the server failed and rolled back (5xx), the same key is still running (409 in progress), or a
 * rate limit refused it before anything ran (429, never stored; we wait its Retry-After).
 * Never any other 4xx: those answers are final.
 */
export function isRetryable(error: TRPCClientError<AnyRouter>): boolean {
  const data = dataOf(error);
  const status = data?.httpStatus ?? (error.meta?.response as Response | undefined)?.status;
  if (status === undefined) return true;
  if (status >= 500) return true;
  if (status === 429) return true;
  return status === 409 && data?.reason === "IDEMPOTENCY_IN_PROGRESS";
}

export function retryDelayMs(policy: RetryPolicy, attempt: number, error?: TRPCClientError<AnyRouter>): number {
  const hinted = error ? dataOf(error)?.retryAfterSeconds : undefined;
  if (hinted !== undefined) return Math.min(policy.maxDelayMs, hinted * 1000);
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(exp / 2 + Math.random() * (exp / 2));
}

/**
 * The retry link for a policy: retries what `isRetryable` allows, waiting `retryDelayMs`.
 * Mutations keep their Idempotency-Key (idempotencyKeyLink runs before this link), so a retry
 * can only replay. `queries: false` leaves queries to whoever retries them above the client
 * (TanStack Query's `retry` in the dashboard): retrying at both levels multiplies the attempts.
 */
export function policyRetryLink<TRouter extends AnyRouter>(policy: RetryPolicy, { queries = true }: { queries?: boolean } = {}): TRPCLink<TRouter> {
  // retryLink asks `retry` and then, for the same failure and synchronously, `retryDelayMs`, which
  // is only told the attempt number: the failure is handed over here so its Retry-After counts.
  let lastError: TRPCClientError<AnyRouter> | undefined;
  return retryLink<TRouter>({
    retry: ({ op, error, attempts }) => {
      lastError = error;
      if (op.type === "query" && !queries) return false;
      return attempts < policy.attempts && isRetryable(error);
    },
    retryDelayMs: (attempt) => retryDelayMs(policy, attempt, lastError),
  });
}
