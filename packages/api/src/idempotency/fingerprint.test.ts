import { describe, expect, it } from "vitest";
import { canonicalJson } from "../canonical-json.js";
import { fingerprintOf } from "./fingerprint.js";

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

  it("never throws on what superjson can make of a request, and refuses absurd nesting as a validation error", () => {
    expect(canonicalJson({ d: new Date(Number.NaN) })).toBe('{"d":"Invalid Date"}');
    expect(canonicalJson({ n: 12345678901234567890n })).toBe('{"n":"12345678901234567890"}');
    const proto = JSON.parse('{"__proto__":{"a":1},"b":2}');
    expect(canonicalJson(proto)).toBe('{"__proto__":{"a":1},"b":2}');
    expect(fingerprintOf(proto)).not.toBe(fingerprintOf({ b: 2 }));
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(() => fingerprintOf({ deep })).toThrow(expect.objectContaining({ reason: "VALIDATION_FAILED", code: "BAD_REQUEST" }));
    let ok: unknown = 1;
    for (let i = 0; i < 60; i++) ok = { ok };
    expect(fingerprintOf(ok)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("fingerprintOf with secret fields", () => {
  const input = { currentPassword: "old secret", newPassword: "new secret", note: "x" };
  const secrets = (key: string) => ({ fields: ["currentPassword", "newPassword"], key });

  it("keys secret fields with the server secret: stable under one secret, different under another, and unlike the plain hash", () => {
    expect(fingerprintOf(input, secrets("a"))).toBe(fingerprintOf({ ...input }, secrets("a")));
    expect(fingerprintOf(input, secrets("a"))).not.toBe(fingerprintOf(input, secrets("b")));
    expect(fingerprintOf(input, secrets("a"))).not.toBe(fingerprintOf(input));
    expect(fingerprintOf({ ...input, newPassword: "other" }, secrets("a"))).not.toBe(fingerprintOf(input, secrets("a")));
  });

  it("leaves inputs without secret fields as they were", () => {
    expect(fingerprintOf({ note: "x" }, secrets("a"))).toBe(fingerprintOf({ note: "x" }));
    expect(fingerprintOf([1, 2], secrets("a"))).toBe(fingerprintOf([1, 2]));
  });
});
