import { describe, expect, it } from "vitest";
import { canWrite, fieldLabel, formatChangeValue, inFieldOrder } from "./labels";

describe("canWrite", () => {
  it("lets editors and admins write", () => {
    expect(canWrite("viewer")).toBe(false);
    expect(canWrite("editor")).toBe(true);
    expect(canWrite("admin")).toBe(true);
  });
});

describe("formatChangeValue", () => {
  it("formats each kind of field", () => {
    expect(formatChangeValue("budgetCents", 150000)).toBe("$1,500.00");
    expect(formatChangeValue("status", "on_hold")).toBe("On hold");
    expect(formatChangeValue("dueDate", "2026-05-01")).toBe("May 1, 2026");
    expect(formatChangeValue("tags", ["a", "b"])).toBe("a, b");
    expect(formatChangeValue("tags", [])).toBe("—");
    expect(formatChangeValue("name", null)).toBe("—");
    expect(formatChangeValue("name", "x".repeat(100))).toHaveLength(78);
    expect(formatChangeValue("ownerId", "0b7c1f7e-8a4a-4c55-9f43-2d1a3f7d9b10")).toBe("0b7c1f7e…");
    const names = new Map([["0b7c1f7e-8a4a-4c55-9f43-2d1a3f7d9b10", "Eve"]]);
    expect(formatChangeValue("ownerId", "0b7c1f7e-8a4a-4c55-9f43-2d1a3f7d9b10", names)).toBe("Eve");
    expect(formatChangeValue("ownerId", "1c8d2e8f-9b5b-4d66-8a54-3e2b4a8e0c21", names)).toBe("1c8d2e8f…");
    expect(fieldLabel("budgetCents")).toBe("Budget");
    expect(fieldLabel("other")).toBe("other");
  });
});

describe("inFieldOrder", () => {
  it("orders changes like the form, unknown fields last", () => {
    const entries: Array<[string, number]> = [["zzz", 0], ["tags", 1], ["name", 2], ["status", 3]];
    expect(inFieldOrder(entries).map(([f]) => f)).toEqual(["name", "status", "tags", "zzz"]);
  });
});
