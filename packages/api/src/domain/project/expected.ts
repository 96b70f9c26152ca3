import type { Precondition } from "../../versioning/precondition.js";

/** What a write expects: the version the caller last read, or a precondition from HTTP (If-Match). */
export type Expected = number | Precondition;

export const preconditionOf = (expected: Expected): Precondition =>
  typeof expected === "number" ? { kind: "version", version: expected, source: "input" } : expected;
