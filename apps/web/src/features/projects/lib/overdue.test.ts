import { describe, expect, it } from "vitest";
import { isOverdue } from "./overdue";

describe("isOverdue", () => {
  const today = "2026-03-10";
  it("is true only for open projects past their due date", () => {
    expect(isOverdue({ dueDate: "2026-03-09", status: "active" }, today)).toBe(true);
    expect(isOverdue({ dueDate: "2026-03-10", status: "active" }, today)).toBe(false);
    expect(isOverdue({ dueDate: "2026-03-09", status: "completed" }, today)).toBe(false);
    expect(isOverdue({ dueDate: "2026-03-09", status: "cancelled" }, today)).toBe(false);
    expect(isOverdue({ dueDate: null, status: "active" }, today)).toBe(false);
  });
});
