import { projects, users } from "@trellis/db";
import { type ProjectStatus, projectStatuses } from "@trellis/db/constants";
import { sql } from "drizzle-orm";
import { ZodError } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caught, createHarness, type Harness } from "../../../test/harness.js";
import type { RouterInputs } from "../../router.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
  await seed();
});
afterAll(() => h?.close());

type ListInput = RouterInputs["project"]["list"];
type Row = typeof projects.$inferSelect;

/** Rows for filtering, search and archive visibility; names and descriptions carry the search cases. */
async function seed() {
  const { viewer, editor, admin } = h.users;
  const archivedAt = new Date("2025-01-01T00:00:00.000Z");
  const rows: Array<typeof projects.$inferInsert> = [
    { name: "Alpha Rocket", description: "", status: "active", ownerId: editor.userId },
    { name: "Plain", description: "Mentions the ROCKET engine", status: "planning", ownerId: admin.userId },
    { name: "rocketry archive", description: "", status: "active", ownerId: editor.userId, archivedAt },
    { name: "Discount 50% off", description: "", status: "on_hold", ownerId: viewer.userId },
    { name: "Capacity 500 units", description: "", status: "on_hold", ownerId: admin.userId },
    { name: "Progress", description: "now 100% done", status: "completed", ownerId: editor.userId },
    { name: "snake_case naming", description: "", status: "cancelled", ownerId: admin.userId },
    { name: "snakeXcase naming", description: "", status: "active", ownerId: viewer.userId },
    { name: "Path", description: "C:\\back\\slash", status: "planning", ownerId: editor.userId },
    { name: "Backslashless", description: "back slash", status: "planning", ownerId: editor.userId },
    { name: "Archived editor thing", description: "", status: "planning", ownerId: editor.userId, archivedAt },
    { name: "Archived completed", description: "", status: "completed", ownerId: admin.userId, archivedAt },
  ];
  // Enough per status and owner that filtered lists span several pages of 2.
  for (let i = 0; i < 25; i++) {
    rows.push({
      name: `Filler ${String(i).padStart(2, "0")}`,
      status: projectStatuses[i % projectStatuses.length]!,
      ownerId: [viewer, editor, admin][i % 3]!.userId,
      archivedAt: i % 7 === 0 ? archivedAt : null,
      createdAt: new Date(Date.parse("2025-02-01T00:00:00.000Z") + (i % 4) * 1000),
    });
  }
  await h.db.db.insert(projects).values(rows);
}

async function allRows(): Promise<Row[]> {
  return h.db.db.select().from(projects);
}

/** Every item of a filtered list, fetched in pages of `limit` (so filters and cursors are tested together). */
async function listAll(input: Omit<ListInput, "cursor" | "limit">, limit = 2) {
  const viewer = h.as(h.users.viewer);
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 500; guard++) {
    const page = await viewer.project.list({ ...input, limit, cursor });
    ids.push(...page.items.map((p) => p.id));
    if (!page.nextCursor) return ids;
    cursor = page.nextCursor;
  }
  throw new Error("pagination did not end");
}

function ids(rows: Row[]): string[] {
  return rows.map((r) => r.id).sort();
}

describe("project.list filters", () => {
  it("filters by each status, hiding archived rows unless asked", async () => {
    const rows = await allRows();
    for (const status of projectStatuses) {
      const live = rows.filter((r) => r.status === status && !r.archivedAt);
      const withArchived = rows.filter((r) => r.status === status);
      expect(live.length).toBeGreaterThan(0);
      expect((await listAll({ status })).sort()).toEqual(ids(live));
      expect((await listAll({ status, includeArchived: true })).sort()).toEqual(ids(withArchived));
    }
  });

  it("filters by owner, alone and together with status", async () => {
    const rows = await allRows();
    for (const user of Object.values(h.users)) {
      const mine = rows.filter((r) => r.ownerId === user.userId && !r.archivedAt);
      expect(mine.length).toBeGreaterThan(1);
      expect((await listAll({ ownerId: user.userId })).sort()).toEqual(ids(mine));
      const mineActive = mine.filter((r) => r.status === "active");
      expect((await listAll({ ownerId: user.userId, status: "active" })).sort()).toEqual(ids(mineActive));
    }
    expect(await listAll({ ownerId: "7d1c1a55-9a0e-4c1b-8d7e-1f0b9c3a2e44" })).toEqual([]);
  });

  it("hides archived projects by default and shows them with includeArchived", async () => {
    const rows = await allRows();
    const archived = rows.filter((r) => r.archivedAt);
    expect(archived.length).toBeGreaterThan(2);
    expect((await listAll({})).sort()).toEqual(ids(rows.filter((r) => !r.archivedAt)));
    expect((await listAll({ includeArchived: false })).sort()).toEqual(ids(rows.filter((r) => !r.archivedAt)));
    expect((await listAll({ includeArchived: true })).sort()).toEqual(ids(rows));
    // REST sends query-string booleans; the same schema accepts them.
    expect((await listAll({ includeArchived: "true" as unknown as boolean })).sort()).toEqual(ids(rows));
    expect((await listAll({ includeArchived: "false" as unknown as boolean })).sort()).toEqual(
      ids(rows.filter((r) => !r.archivedAt)),
    );
  });

  it("rejects an unknown status and a malformed owner id as bad requests", async () => {
    const viewer = h.as(h.users.viewer);
    for (const input of [{ status: "done" }, { ownerId: "me" }, { includeArchived: "yes" }]) {
      const err = await caught(viewer.project.list(input as unknown as ListInput));
      expect(err.code).toBe("BAD_REQUEST");
      expect(err.cause).toBeInstanceOf(ZodError);
    }
  });
});

describe("project.list search (q)", () => {
  /** The reference: a case-insensitive substring match on name or description, nothing more. */
  function matching(rows: Row[], q: string, includeArchived = false): string[] {
    const needle = q.trim().toLowerCase();
    return ids(
      rows.filter(
        (r) =>
          (includeArchived || !r.archivedAt) &&
          (r.name.toLowerCase().includes(needle) || r.description.toLowerCase().includes(needle)),
      ),
    );
  }

  const cases: Array<[label: string, q: string, expectedNames: string[]]> = [
    ["matches name or description, any case", "rOcKeT", ["Alpha Rocket", "Plain"]],
    ["trims the query", "   rocket\t", ["Alpha Rocket", "Plain"]],
    ["treats % literally", "%", ["Discount 50% off", "Progress"]],
    ["treats 50% literally (not 500)", "50%", ["Discount 50% off"]],
    ["treats _ literally", "_", ["snake_case naming"]],
    ["treats e_c literally (not eXc)", "e_c", ["snake_case naming"]],
    ["treats a backslash literally", "\\", ["Path"]],
    ["treats backslash-s literally", "\\s", ["Path"]],
  ];

  it.each(cases)("%s", async (_label, q, expectedNames) => {
    const rows = await allRows();
    const found = (await listAll({ q })).sort();
    expect(found).toEqual(matching(rows, q));
    const byId = new Map(rows.map((r) => [r.id, r.name]));
    expect(found.map((id) => byId.get(id)).sort()).toEqual([...expectedNames].sort());
  });

  it("searches archived projects only with includeArchived", async () => {
    const rows = await allRows();
    const hidden = await listAll({ q: "rocket" });
    const all = (await listAll({ q: "rocket", includeArchived: true })).sort();
    expect(all).toEqual(matching(rows, "rocket", true));
    expect(all.length).toBe(hidden.length + 1);
  });

  it("treats a blank query as no filter and rejects one over 200 characters", async () => {
    const rows = await allRows();
    expect((await listAll({ q: "   " })).sort()).toEqual(ids(rows.filter((r) => !r.archivedAt)));
    const err = await caught(h.as(h.users.viewer).project.list({ q: "x".repeat(201) }));
    expect(err.code).toBe("BAD_REQUEST");
  });

  it("combines q with status and owner", async () => {
    const rows = await allRows();
    const expected = ids(
      rows.filter((r) => !r.archivedAt && r.status === "active" && r.ownerId === h.users.editor.userId && /rocket/i.test(r.name + r.description)),
    );
    expect(expected).toHaveLength(1);
    expect((await listAll({ q: "ROCKET", status: "active", ownerId: h.users.editor.userId })).sort()).toEqual(expected);
  });
});

describe("project.stats", () => {
  /** The database's idea of today, which is what "overdue" is measured against. */
  async function dbToday(): Promise<string> {
    const [row] = await h.db.db.select({ d: sql<string>`current_date::text` }).from(users).limit(1);
    return row!.d;
  }

  function addDays(isoDate: string, days: number): string {
    const d = new Date(`${isoDate}T00:00:00.000Z`);
    d.setUTCDate(d.getUTCDate() + days);
    return d.toISOString().slice(0, 10);
  }

  /** Stats together with the date they were computed on (retried if midnight passes in between). */
  async function statsOnOneDay() {
    for (;;) {
      const before = await dbToday();
      const stats = await h.as(h.users.viewer).project.stats();
      if ((await dbToday()) === before) return { stats, today: before };
    }
  }

  it("counts and sums by status without archived rows, and counts overdue and archived", async () => {
    const start = await statsOnOneDay();
    const ownerId = h.users.admin.userId;
    const t = start.today;
    const archivedAt = new Date();
    const fixtures: Array<typeof projects.$inferInsert> = [
      { name: "S overdue active", status: "active", budgetCents: 1_000, dueDate: addDays(t, -1), ownerId },
      { name: "S overdue planning", status: "planning", budgetCents: null, dueDate: "2001-05-05", ownerId },
      { name: "S overdue on hold", status: "on_hold", budgetCents: 250, dueDate: addDays(t, -30), ownerId },
      { name: "S due today", status: "active", budgetCents: 2_000, dueDate: t, ownerId },
      { name: "S due tomorrow", status: "active", budgetCents: 900_000_000_000, dueDate: addDays(t, 1), ownerId },
      { name: "S no due date", status: "planning", budgetCents: 7, dueDate: null, ownerId },
      { name: "S late but completed", status: "completed", budgetCents: 5_000, dueDate: addDays(t, -2), ownerId },
      { name: "S late but cancelled", status: "cancelled", budgetCents: 3, dueDate: addDays(t, -2), ownerId },
      { name: "S archived late active", status: "active", budgetCents: 40_000, dueDate: addDays(t, -3), ownerId, archivedAt },
      { name: "S archived cancelled", status: "cancelled", budgetCents: 11, dueDate: null, ownerId, archivedAt },
    ];
    await h.db.db.insert(projects).values(fixtures);
    const end = await statsOnOneDay();

    const live = fixtures.filter((f) => !f.archivedAt);
    const delta = (status: ProjectStatus, field: "count" | "budgetCents") =>
      end.stats.byStatus.find((s) => s.status === status)![field] - start.stats.byStatus.find((s) => s.status === status)![field];

    expect(end.stats.byStatus.map((s) => s.status)).toEqual([...projectStatuses]);
    for (const status of projectStatuses) {
      const mine = live.filter((f) => f.status === status);
      expect({ status, count: delta(status, "count") }).toEqual({ status, count: mine.length });
      expect({ status, budgetCents: delta(status, "budgetCents") }).toEqual({
        status,
        budgetCents: mine.reduce((sum, f) => sum + (f.budgetCents ?? 0), 0),
      });
    }
    expect(end.stats.total - start.stats.total).toBe(live.length);
    expect(end.stats.total).toBe(end.stats.byStatus.reduce((n, s) => n + s.count, 0));
    expect(end.stats.archived - start.stats.archived).toBe(2);
    // Overdue is judged on the day the stats were computed: due before that day, still open, not archived.
    const overdue = live.filter(
      (f) => f.dueDate !== null && f.dueDate! < end.today && f.status !== "completed" && f.status !== "cancelled",
    );
    expect(overdue.length).toBeGreaterThanOrEqual(3);
    expect(end.stats.overdue - start.stats.overdue).toBe(overdue.length);
    expect(typeof end.stats.byStatus[0]!.budgetCents).toBe("number");
  });

  it("moves a project out of the counts when it is archived and back when restored", async () => {
    const editor = h.as(h.users.editor);
    const p = await editor.project.create({ name: "Stats mover", status: "on_hold", budgetCents: 123 });
    const onHold = async () => {
      const s = await editor.project.stats();
      return { ...s.byStatus.find((b) => b.status === "on_hold")!, archived: s.archived, total: s.total };
    };
    const before = await onHold();
    await editor.project.archive({ id: p.id, expectedVersion: 1 });
    const archived = await onHold();
    expect(archived).toEqual({
      status: "on_hold",
      count: before.count - 1,
      budgetCents: before.budgetCents - 123,
      archived: before.archived + 1,
      total: before.total - 1,
    });
    await editor.project.restore({ id: p.id, expectedVersion: 2 });
    expect(await onHold()).toEqual(before);
  });
});

describe("project.activity pagination", () => {
  it("pages through one project's events newest first, without another project's events", async () => {
    const editor = h.as(h.users.editor);
    const admin = h.as(h.users.admin);
    const a = await editor.project.create({ name: "Activity A" });
    const b = await admin.project.create({ name: "Activity B" });
    // Interleave writes to A and B so their event ids interleave.
    let va = 1;
    let vb = 1;
    for (let i = 1; i <= 11; i++) {
      va = (await (i % 2 ? editor : admin).project.update({ id: a.id, expectedVersion: va, patch: { name: `Activity A ${i}` } })).version;
      vb = (await admin.project.update({ id: b.id, expectedVersion: vb, patch: { name: `Activity B ${i}` } })).version;
    }
    va = (await editor.project.archive({ id: a.id, expectedVersion: va })).version;
    va = (await editor.project.restore({ id: a.id, expectedVersion: va })).version;
    expect(va).toBe(14);

    const viewer = h.as(h.users.viewer);
    const pages: Array<{ versions: number[]; nextCursor: string | null }> = [];
    let cursor: string | undefined;
    for (let guard = 0; guard < 20; guard++) {
      const page = await viewer.project.activity({ id: a.id, limit: 4, cursor });
      pages.push({ versions: page.items.map((e) => e.version), nextCursor: page.nextCursor });
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(pages.map((p) => p.versions)).toEqual([
      [14, 13, 12, 11],
      [10, 9, 8, 7],
      [6, 5, 4, 3],
      [2, 1],
    ]);
    expect(pages.at(-1)!.nextCursor).toBeNull();

    const all = await viewer.project.activity({ id: a.id });
    expect(all.nextCursor).toBeNull();
    expect(all.items.map((e) => e.action)).toEqual(["restored", "archived", ...Array(11).fill("updated"), "created"]);
    expect(all.items.map((e) => e.actorName)).toEqual([
      "Test editor",
      "Test editor",
      ...Array.from({ length: 11 }, (_, k) => ((11 - k) % 2 ? "Test editor" : "Test admin")),
      "Test editor",
    ]);
    expect(all.items[2]!.changes).toEqual({ name: { before: "Activity A 10", after: "Activity A 11" } });
  });

  it("ends exactly at a full last page and defaults to 50 events per page", async () => {
    const editor = h.as(h.users.editor);
    const p = await editor.project.create({ name: "Activity long" });
    let v = 1;
    for (let i = 0; i < 54; i++) v = (await editor.project.update({ id: p.id, expectedVersion: v, patch: { budgetCents: i } })).version;
    const viewer = h.as(h.users.viewer);
    const first = await viewer.project.activity({ id: p.id });
    expect(first.items).toHaveLength(50);
    expect(first.items[0]!.version).toBe(55);
    const rest = await viewer.project.activity({ id: p.id, cursor: first.nextCursor! });
    expect(rest.items.map((e) => e.version)).toEqual([5, 4, 3, 2, 1]);
    expect(rest.nextCursor).toBeNull();

    const exact = await viewer.project.activity({ id: p.id, limit: 55 });
    expect(exact.items).toHaveLength(55);
    expect(exact.nextCursor).toBeNull();
  });

  it("rejects bad cursors and limits, and answers NOT_FOUND for an unknown project", async () => {
    const editor = h.as(h.users.editor);
    const p = await editor.project.create({ name: "Activity errors" });
    for (const cursor of ["abc", "0", "-3", "1.5", "", "9007199254740993"]) {
      const err = await caught(editor.project.activity({ id: p.id, cursor }));
      expect({ cursor, code: err.code, reason: err.reason }).toEqual({ cursor, code: "BAD_REQUEST", reason: "INVALID_CURSOR" });
    }
    for (const limit of [0, 201]) {
      expect((await caught(editor.project.activity({ id: p.id, limit }))).code).toBe("BAD_REQUEST");
    }
    const missing = await caught(editor.project.activity({ id: "3f0e6b1a-2c4d-4e8f-9a1b-5c6d7e8f9a0b" }));
    expect(missing.code).toBe("NOT_FOUND");
    expect(missing.reason).toBe("PROJECT_NOT_FOUND");
  });
});
