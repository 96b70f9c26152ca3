import { describe, expect, it } from "vitest";
import { etagFor, parseIfMatch, satisfies } from "./precondition.js";

describe("If-Match", () => {
  it("matches a strong ETag of the current version only", () => {
    const p = parseIfMatch(etagFor(3));
    expect(p).toEqual({ kind: "version", version: 3, source: "if-match" });
    expect(satisfies(p, 3)).toBe(true);
    expect(satisfies(p, 4)).toBe(false);
  });

  it("treats * as any existing version", () => {
    expect(satisfies(parseIfMatch(" * "), 17)).toBe(true);
  });

  it("never matches weak or malformed validators", () => {
    for (const h of ['W/"3"', "3", '"abc"', '"-1"', '"0"', "", '"3', '"99999999999"']) {
      const p = parseIfMatch(h);
      expect(p.kind, h).toBe("never");
      expect(satisfies(p, 3)).toBe(false);
    }
  });

  it("accepts a list with one strong version among weak ones", () => {
    expect(parseIfMatch('W/"2", "5"')).toEqual({ kind: "version", version: 5, source: "if-match" });
  });
});
