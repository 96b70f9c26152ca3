import { describe, expect, it } from "vitest";
import { errorDataOf, isFinalFailure, isSignedOut, messageOf, shouldRetry, versionConflictOf } from "./errors";

function apiError(message: string, data: Record<string, unknown>) {
  return Object.assign(new Error(message), { data });
}

describe("errorDataOf", () => {
  it("reads data from tRPC-shaped errors and ignores everything else", () => {
    expect(errorDataOf(apiError("x", { code: "NOT_FOUND" }))?.code).toBe("NOT_FOUND");
    expect(errorDataOf(new Error("network"))).toBeUndefined();
    expect(errorDataOf(null)).toBeUndefined();
    expect(errorDataOf({ data: null })).toBeUndefined();
  });
});

describe("isSignedOut", () => {
  it("is true for a missing session but not for wrong credentials", () => {
    expect(isSignedOut(apiError("x", { code: "UNAUTHORIZED", reason: "SIGNED_OUT" }))).toBe(true);
    expect(isSignedOut(apiError("x", { code: "UNAUTHORIZED", reason: "INVALID_CREDENTIALS" }))).toBe(false);
    expect(isSignedOut(apiError("x", { code: "FORBIDDEN" }))).toBe(false);
  });
});

describe("versionConflictOf", () => {
  it("returns the current version only for VERSION_CONFLICT", () => {
    const current = { id: "p", version: 4 };
    expect(
      versionConflictOf(apiError("x", { code: "CONFLICT", reason: "VERSION_CONFLICT", currentVersion: 4, current })),
    ).toEqual({ currentVersion: 4, current });
    expect(versionConflictOf(apiError("x", { code: "CONFLICT", reason: "ALREADY_ARCHIVED" }))).toBeUndefined();
  });
});

describe("shouldRetry", () => {
  it("never retries 4xx and retries other failures twice", () => {
    expect(shouldRetry(0, apiError("x", { httpStatus: 409 }))).toBe(false);
    expect(shouldRetry(0, apiError("x", { httpStatus: 503 }))).toBe(true);
    expect(shouldRetry(0, new TypeError("Failed to fetch"))).toBe(true);
    expect(shouldRetry(2, new TypeError("Failed to fetch"))).toBe(false);
  });
});

describe("isFinalFailure", () => {
  it("is final for 4xx answers about the request itself", () => {
    expect(isFinalFailure(apiError("x", { httpStatus: 400, reason: "VALIDATION_FAILED" }))).toBe(true);
    expect(isFinalFailure(apiError("x", { httpStatus: 403, reason: "INSUFFICIENT_ROLE" }))).toBe(true);
    expect(isFinalFailure(apiError("x", { httpStatus: 404, reason: "PROJECT_NOT_FOUND" }))).toBe(true);
    expect(isFinalFailure(apiError("x", { httpStatus: 409, reason: "VERSION_CONFLICT" }))).toBe(true);
    expect(isFinalFailure(apiError("x", { httpStatus: 422, reason: "IDEMPOTENCY_KEY_REUSED" }))).toBe(true);
  });

  it("keeps the intent when sending it again can still work", () => {
    expect(isFinalFailure(new TypeError("Failed to fetch"))).toBe(false);
    expect(isFinalFailure(apiError("x", { httpStatus: 500 }))).toBe(false);
    expect(isFinalFailure(apiError("x", { httpStatus: 503 }))).toBe(false);
    expect(isFinalFailure(apiError("x", { httpStatus: 409, reason: "IDEMPOTENCY_IN_PROGRESS" }))).toBe(false);
    expect(isFinalFailure(apiError("x", { httpStatus: 401, reason: "SIGNED_OUT" }))).toBe(false);
    expect(isFinalFailure(apiError("x", { httpStatus: 429 }))).toBe(false);
  });

  it("reads the HTTP status when the body was not a tRPC error", () => {
    const fromProxy = (status: number) => Object.assign(new Error("Unexpected token <"), { meta: { response: { status } } });
    expect(isFinalFailure(fromProxy(502))).toBe(false);
    expect(isFinalFailure(fromProxy(413))).toBe(true);
  });
});

describe("messageOf", () => {
  it("shows 4xx messages, hides 5xx detail and explains network failures", () => {
    expect(messageOf(apiError("No project with this id", { httpStatus: 404 }))).toBe("No project with this id");
    expect(messageOf(apiError("Internal server error", { httpStatus: 500, requestId: "r1" }))).toContain("request r1");
    expect(messageOf(new TypeError("Failed to fetch"))).toMatch(/Could not reach the server/);
    const invalid = apiError('[{"code":"unrecognized_keys"}]', {
      httpStatus: 400,
      reason: "VALIDATION_FAILED",
      fieldErrors: { direction: ["Unrecognized key"] },
    });
    expect(messageOf(invalid)).toBe("Invalid request. direction: Unrecognized key");
  });
});
