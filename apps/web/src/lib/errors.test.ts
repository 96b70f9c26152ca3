import { describe, expect, it } from "vitest";
import { errorDataOf, isSignedOut, messageOf, shouldRetry, versionConflictOf } from "./errors";

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
