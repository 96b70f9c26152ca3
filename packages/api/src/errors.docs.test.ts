import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { reasonCodes } from "./errors.js";

// docs/api.md is what API users read: every reason a procedure can answer must be listed there.
const apiDoc = readFileSync(new URL("../../../docs/api.md", import.meta.url), "utf8");

describe("docs/api.md", () => {
  it.each(Object.keys(reasonCodes))("documents the error reason %s", (reason) => {
    expect(apiDoc).toContain(`\`${reason}\``);
  });
});
