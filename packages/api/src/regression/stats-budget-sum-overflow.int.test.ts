import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../../test/harness.js";

// Budgets may each be up to Number.MAX_SAFE_INTEGER cents, so their sum per status can exceed it.
// project.stats then failed its own output validation: a 500 for everyone, caused by valid data
// (found by the fuzz test). The sum now saturates at MAX_SAFE_INTEGER.

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h?.close());

describe("project.stats with huge budgets", () => {
  it("answers with the budget sum saturated instead of failing", async () => {
    const editor = h.as(h.users.editor);
    await editor.project.create({ name: "Huge 1", status: "active", budgetCents: Number.MAX_SAFE_INTEGER });
    await editor.project.create({ name: "Huge 2", status: "active", budgetCents: Number.MAX_SAFE_INTEGER });
    await editor.project.create({ name: "Small", status: "planning", budgetCents: 250 });

    const stats = await editor.project.stats();
    const byStatus = Object.fromEntries(stats.byStatus.map((s) => [s.status, s]));
    expect(byStatus.active).toEqual({ status: "active", count: 2, budgetCents: Number.MAX_SAFE_INTEGER });
    expect(byStatus.planning).toEqual({ status: "planning", count: 1, budgetCents: 250 });
  });
});
