import { describe, expect, it } from "vitest";
import { canonicalJson, fingerprintOf } from "./fingerprint.js";

describe("fingerprintOf", () => {
  it("ignores key order at every depth and undefined members", () => {
    const a = { name: "x", patch: { b: 1, a: [{ y: 2, x: 1 }] }, skip: undefined };
    const b = { patch: { a: [{ x: 1, y: 2 }], b: 1 }, name: "x" };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(fingerprintOf(a)).toBe(fingerprintOf(b));
  });

  it("distinguishes different values, array order and dates", () => {
    expect(fingerprintOf({ a: 1 })).not.toBe(fingerprintOf({ a: 2 }));
    expect(fingerprintOf({ a: [1, 2] })).not.toBe(fingerprintOf({ a: [2, 1] }));
    expect(fingerprintOf({ d: new Date(0) })).not.toBe(fingerprintOf({ d: new Date(1) }));
    expect(fingerprintOf(undefined)).toBe(fingerprintOf(null));
  });
});
