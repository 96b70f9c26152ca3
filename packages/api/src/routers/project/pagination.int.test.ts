import { projects } from "@trellis/db";
import { isNull } from "drizzle-orm";
import { ZodError } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caught, createHarness, type Harness } from "../../../test/harness.js";
import type { RouterOutputs } from "../../router.js";
import { type ProjectSort, projectSorts } from "./schemas.js";

type Item = RouterOutputs["project"]["list"]["items"][number];
type Keyed = Pick<Item, "id" | "name" | "createdAt" | "updatedAt">;

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
  await seed();
});
afterAll(() => h?.close());

const BASE = Date.parse("2024-03-01T00:00:00.000Z");
const MINUTE = 60_000;
/** Indexes of seeded rows that share one sort key (more than a page of 7, so a tie must cross a page boundary). */
const CREATED_TIE = new Set([20, 21, 22, 23, 24, 25, 26, 27, 28, 29]);
const UPDATED_TIE = new Set([40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51]);
const NAME_TIE = new Set([80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90]);

/** Lowercase ASCII letters only, so JS string order equals the database's under any collation. */
function letters(n: number): string {
  const a = "abcdefghijklmnopqrstuvwxyz";
  return `pg${a[Math.floor(n / 26) % 26]}${a[n % 26]}`;
}

async function seed() {
  const ownerId = h.users.editor.userId;
  const rows = Array.from({ length: 120 }, (_, i) => ({
    name: NAME_TIE.has(i) ? "pgtie" : letters((i * 53) % 120),
    ownerId,
    // A second, smaller tie group of 3 as well; everything else distinct, not in insertion order.
    createdAt: new Date(CREATED_TIE.has(i) ? BASE + 5 * MINUTE : i >= 60 && i < 63 ? BASE + 7 * MINUTE : BASE + ((i * 37) % 120) * MINUTE + 13),
    updatedAt: new Date(UPDATED_TIE.has(i) ? BASE + 1_000 * MINUTE : BASE + 500 * MINUTE + ((i * 71) % 120) * 1_000),
    // A few archived rows, which the default list must leave out of every page.
    archivedAt: i % 17 === 3 ? new Date(BASE + 2_000 * MINUTE) : null,
  }));
  await h.db.db.insert(projects).values(rows);
}

const sortKeys: Record<ProjectSort, { key: (r: Keyed) => string | number; dir: 1 | -1 }> = {
  createdAt_desc: { key: (r) => r.createdAt.getTime(), dir: -1 },
  createdAt_asc: { key: (r) => r.createdAt.getTime(), dir: 1 },
  updatedAt_desc: { key: (r) => r.updatedAt.getTime(), dir: -1 },
  name_asc: { key: (r) => r.name, dir: 1 },
  name_desc: { key: (r) => r.name, dir: -1 },
};

function cmp(a: string | number, b: string | number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** List order for a sort: the sort key, then id in the same direction (uuid order = lowercase hex order). */
function comparator(sort: ProjectSort) {
  const { key, dir } = sortKeys[sort];
  return (a: Keyed, b: Keyed) => dir * (cmp(key(a), key(b)) || cmp(a.id, b.id));
}

/** Every live (not archived) project straight from the table, in the expected list order. */
async function expectedOrder(sort: ProjectSort): Promise<Keyed[]> {
  const rows = await h.db.db
    .select({ id: projects.id, name: projects.name, createdAt: projects.createdAt, updatedAt: projects.updatedAt })
    .from(projects)
    .where(isNull(projects.archivedAt));
  return rows.sort(comparator(sort));
}

/** Pages through a sort to the end, calling `between` after each page that has a next cursor. */
async function pageAll(sort: ProjectSort, limit: number, between?: (page: Item[]) => Promise<void>) {
  const viewer = h.as(h.users.viewer);
  const pages: Item[][] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 1_000; guard++) {
    const page = await viewer.project.list({ sort, limit, cursor });
    pages.push(page.items);
    if (page.nextCursor === null) return pages;
    expect(page.items).toHaveLength(limit);
    cursor = page.nextCursor;
    await between?.(page.items);
  }
  throw new Error("pagination did not end");
}

function encode(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

describe("project.list keyset pagination", () => {
  it.each(projectSorts)("pages through %s with limit 7: every row once, in order, ties broken by id", async (sort) => {
    const expected = await expectedOrder(sort);
    expect(expected.length).toBeGreaterThan(100);

    const pages = await pageAll(sort, 7);
    const seen = pages.flat();
    expect(seen.map((p) => p.id)).toEqual(expected.map((p) => p.id));
    expect(pages.at(-1)!.length).toBeGreaterThan(0);
    expect(pages.at(-1)!.length).toBeLessThanOrEqual(7);
    for (let i = 1; i < seen.length; i++) expect(comparator(sort)(seen[i - 1]!, seen[i]!)).toBeLessThan(0);

    // The fixture really exercises the tie-breaker: some page ends inside a group of equal sort keys.
    const { key } = sortKeys[sort];
    const tieAcrossBoundary = pages.slice(0, -1).some((page, i) => key(page.at(-1)!) === key(pages[i + 1]![0]!));
    expect(tieAcrossBoundary).toBe(true);
  });

  it("returns nextCursor null on a last page that is exactly full, with no empty page after it", async () => {
    const viewer = h.as(h.users.viewer);
    const total = (await expectedOrder("createdAt_desc")).length;
    const all = await viewer.project.list({ limit: total });
    expect(all.items).toHaveLength(total);
    expect(all.nextCursor).toBeNull();

    const first = await viewer.project.list({ limit: total - 1 });
    expect(first.items).toHaveLength(total - 1);
    expect(first.nextCursor).toEqual(expect.any(String));
    const last = await viewer.project.list({ limit: total - 1, cursor: first.nextCursor! });
    expect(last.items.map((p) => p.id)).toEqual([all.items.at(-1)!.id]);
    expect(last.nextCursor).toBeNull();
  });

  it("keeps its place when the row under the cursor is archived before the next page", async () => {
    const editor = h.as(h.users.editor);
    const expected = await expectedOrder("name_asc");
    const first = await editor.project.list({ sort: "name_asc", limit: 7 });
    const anchor = first.items.at(-1)!;
    await editor.project.archive({ id: anchor.id, expectedVersion: anchor.version });
    try {
      const next = await editor.project.list({ sort: "name_asc", limit: 7, cursor: first.nextCursor! });
      expect(next.items.map((p) => p.id)).toEqual(expected.slice(7, 14).map((p) => p.id));
    } finally {
      await editor.project.restore({ id: anchor.id, expectedVersion: anchor.version + 1 });
    }
  });

  it("sees every row that existed at the start exactly once while projects are inserted between pages", async () => {
    const sort = "createdAt_desc";
    const before = comparator(sort);
    const snapshot = await expectedOrder(sort);
    const newest = snapshot[0]!.createdAt.getTime();
    const oldest = snapshot.at(-1)!.createdAt.getTime();
    const editor = h.as(h.users.editor);
    const ownerId = h.users.editor.userId;

    const inserted: Array<{ row: Keyed; passed: boolean }> = [];
    let n = 0;
    const hex = (k: number) => k.toString(16).padStart(12, "0");

    const pages = await pageAll(sort, 7, async (page) => {
      const last = page.at(-1)!;
      const at = last.createdAt.getTime();
      n++;
      const rows: Array<Pick<Keyed, "name" | "createdAt"> & { id?: string }> = [
        // Newer than everything: already passed in a newest-first list.
        { name: `pgnewer${n}`, createdAt: new Date(newest + 86_400_000 + n) },
        // Same timestamp as the cursor row but a larger id: also already passed.
        { id: `ffffffff-ffff-4fff-bfff-${hex(n)}`, name: `pgtiehigh${n}`, createdAt: last.createdAt },
        // Same timestamp, smaller id (decreasing each time): not reached yet.
        { id: `00000000-0000-4000-8000-${hex(0xffffffff - n)}`, name: `pgtielow${n}`, createdAt: last.createdAt },
        // Just after and just before the cursor position.
        { name: `pgjustnewer${n}`, createdAt: new Date(at + 1) },
        { name: `pgjustolder${n}`, createdAt: new Date(at - 1) },
        // Older than everything: will be reached at the end.
        { name: `pgolder${n}`, createdAt: new Date(oldest - 86_400_000 - n) },
      ];
      const written = await h.db.db
        .insert(projects)
        .values(rows.map((r) => ({ ...r, ownerId })))
        .returning({ id: projects.id, name: projects.name, createdAt: projects.createdAt, updatedAt: projects.updatedAt });
      // And one through the API, as a user creating a project meanwhile would.
      const viaApi = await editor.project.create({ name: `pgcreated${n}` });
      for (const row of [...written, viaApi]) {
        // A row is behind the cursor when it sorts before (or at) the last row already returned.
        inserted.push({ row, passed: before(row, last) < 0 });
      }
    });

    const seen = pages.flat();
    const ids = seen.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (let i = 1; i < seen.length; i++) expect(before(seen[i - 1]!, seen[i]!)).toBeLessThan(0);

    const seenIds = new Set(ids);
    expect(snapshot.filter((p) => !seenIds.has(p.id)).map((p) => p.id)).toEqual([]);

    expect(inserted.length).toBeGreaterThan(6 * 10);
    const passed = inserted.filter((i) => i.passed);
    const ahead = inserted.filter((i) => !i.passed);
    // Both kinds were produced, so both assertions below check something.
    expect(passed.length).toBeGreaterThan(0);
    expect(ahead.length).toBeGreaterThan(0);
    expect(passed.filter((i) => seenIds.has(i.row.id)).map((i) => i.row.name)).toEqual([]);
    expect(ahead.filter((i) => !seenIds.has(i.row.id)).map((i) => i.row.name)).toEqual([]);
    expect(seen).toHaveLength(snapshot.length + ahead.length);
  });
});

describe("project.list limits", () => {
  it("defaults to 50 per page", async () => {
    const page = await h.as(h.users.viewer).project.list({});
    expect(page.items).toHaveLength(50);
    expect(page.nextCursor).toEqual(expect.any(String));
  });

  it("allows at most 500 per page and rejects 501 (and 0) as a bad request", async () => {
    const viewer = h.as(h.users.viewer);
    const live = (await expectedOrder("createdAt_desc")).length;
    if (live <= 500) {
      await h.db.db.insert(projects).values(
        Array.from({ length: 501 - live }, (_, i) => ({ name: `pgbulk${i}`, ownerId: h.users.admin.userId })),
      );
    }
    const page = await viewer.project.list({ limit: 500 });
    expect(page.items).toHaveLength(500);
    expect(page.nextCursor).toEqual(expect.any(String));

    for (const limit of [501, 0, 2.5]) {
      const err = await caught(viewer.project.list({ limit }));
      expect(err.code).toBe("BAD_REQUEST");
      expect(err.cause).toBeInstanceOf(ZodError);
    }
  });
});

describe("project.list cursors", () => {
  const someId = "5b0b8f57-1f3e-4b3a-9c55-0c1a8b5b2f11";
  const bad: Array<[label: string, sort: ProjectSort, cursor: string]> = [
    ["garbage text", "createdAt_desc", "garbage"],
    ["not base64 at all", "createdAt_desc", "!!!***"],
    ["JSON null", "createdAt_desc", encode(null)],
    ["an object", "createdAt_desc", encode({ sort: "createdAt_desc" })],
    ["a short array", "createdAt_desc", encode(["createdAt_desc", "2024-03-01T00:00:00.000Z"])],
    ["a non-uuid id", "createdAt_desc", encode(["createdAt_desc", "2024-03-01T00:00:00.000Z", "42"])],
    ["a numeric value", "createdAt_desc", encode(["createdAt_desc", 1_709_251_200_000, someId])],
    ["a value that is not a date", "createdAt_desc", encode(["createdAt_desc", "yesterday-ish", someId])],
    // JavaScript's Date.parse accepts these; Postgres does not, so they must not reach the query.
    ["a bare number as the date", "createdAt_desc", encode(["createdAt_desc", "1", someId])],
    ["an English date", "createdAt_desc", encode(["createdAt_desc", "March 7", someId])],
    ["February 30th", "createdAt_asc", encode(["createdAt_asc", "2024-02-30T00:00:00.000Z", someId])],
    ["year zero", "updatedAt_desc", encode(["updatedAt_desc", "0000-01-01T00:00:00.000Z", someId])],
    ["an expanded year", "createdAt_desc", encode(["createdAt_desc", "+275760-09-13T00:00:00.000Z", someId])],
    ["a NUL character in a name", "name_asc", encode(["name_asc", "pg\u0000x", someId])],
  ];

  it.each(bad)("rejects %s with INVALID_CURSOR, not a server error", async (_label, sort, cursor) => {
    const err = await caught(h.as(h.users.viewer).project.list({ sort, cursor }));
    expect(err.code).toBe("BAD_REQUEST");
    expect(err.reason).toBe("INVALID_CURSOR");
  });

  it("rejects a cursor issued for another sort", async () => {
    const viewer = h.as(h.users.viewer);
    for (const from of projectSorts) {
      const { nextCursor } = await viewer.project.list({ sort: from, limit: 3 });
      expect(nextCursor).toEqual(expect.any(String));
      for (const to of projectSorts.filter((s) => s !== from)) {
        const err = await caught(viewer.project.list({ sort: to, cursor: nextCursor! }));
        expect(err.code).toBe("BAD_REQUEST");
        expect(err.reason).toBe("INVALID_CURSOR");
      }
    }
  });

  it("rejects an oversized cursor as a validation error", async () => {
    const err = await caught(h.as(h.users.viewer).project.list({ cursor: "a".repeat(513) }));
    expect(err.code).toBe("BAD_REQUEST");
    expect(err.cause).toBeInstanceOf(ZodError);
  });
});
