import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import superjson from "superjson";
import { DomainError, type ErrorDetails, type Reason } from "../errors.js";
import type { StoredOutcome } from "./store.js";

interface StoredError {
  reason: Reason;
  message: string;
  details: ErrorDetails;
}

/** superjson keeps Dates and undefined intact, so a replay deserializes to the very same value. */
export function successOutcome(data: unknown, fingerprint: string, requestId: string, expiresAt: Date): StoredOutcome {
  return { fingerprint, outcome: "ok", body: superjson.stringify(data), httpStatus: 200, requestId, expiresAt };
}

export function errorOutcome(error: DomainError, fingerprint: string, requestId: string, expiresAt: Date): StoredOutcome {
  const stored: StoredError = { reason: error.reason, message: error.message, details: error.details };
  return {
    fingerprint,
    outcome: "error",
    body: superjson.stringify(stored),
    httpStatus: getHTTPStatusCodeFromError(error),
    requestId,
    expiresAt,
  };
}

/** The stored result, or throws the stored domain error again. */
export function replayOutcome(outcome: StoredOutcome): unknown {
  if (outcome.outcome === "ok") return superjson.parse(outcome.body);
  const stored = superjson.parse<StoredError>(outcome.body);
  throw new DomainError(stored.reason, stored.message, stored.details);
}

/**
 * Deterministic outcomes of the handler are kept; anything else (5xx, validation) runs again on
 * retry. A domain error is always a 4xx (errors.ts: reasonCodes allows no 5xx code), so being one
 * is the whole test.
 */
export function isStorable(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
