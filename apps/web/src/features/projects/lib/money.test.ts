import { describe, expect, it } from "vitest";
import { centsToInput, formatCents, parseAmount } from "./money";

describe("formatCents", () => {
  it("formats cents as dollars and null as a dash", () => {
    expect(formatCents(123456)).toBe("$1,234.56");
    expect(formatCents(0)).toBe("$0.00");
    expect(formatCents(null)).toBe("—");
  });
});

describe("parseAmount", () => {
  it.each([
    ["", null],
    ["  ", null],
    ["12", 1200],
    ["12.5", 1250],
    ["0.29", 29],
    [".5", 50],
    ["1,234.56", 123456],
    ["$ 99.99", 9999],
    ["-3", -300],
  ])("parses %j as %j cents", (text, cents) => {
    expect(parseAmount(text)).toEqual({ ok: true, cents });
  });

  it("rejects text that is not an amount", () => {
    expect(parseAmount("abc")).toMatchObject({ ok: false });
    expect(parseAmount(".")).toMatchObject({ ok: false });
    expect(parseAmount("1.2.3")).toMatchObject({ ok: false });
    expect(parseAmount("1.234")).toEqual({ ok: false, message: "Use at most two decimal places" });
  });

  it("round-trips through centsToInput", () => {
    for (const cents of [0, 5, 29, 100, 123456, 9_007_199_254_740_991]) {
      expect(parseAmount(centsToInput(cents))).toEqual({ ok: true, cents });
    }
    expect(centsToInput(null)).toBe("");
  });
});
