import { type Db } from "@trellis/db";
import { eq, sql } from "drizzle-orm";
import { integer, jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { domainContext } from "../../test/domain.js";
import { caught, createHarness, type Harness } from "../../test/harness.js";
import { DomainError } from "../errors.js";
import { auditUserId, type DomainContext, inTransaction, systemActor } from "./context.js";
import { type AuditEvent, type VersionedEntity, versionedCreate, versionedWrite, versionedWriteBatch } from "./versioned-write.js";

// A second versioned entity, made in this test only, gets the whole guarantee from the kernel by
// plugging in its table, how to read it, its not-found error and its event writer: no copy of
// routers/project/.

const widgets = pgTable("test_widgets", {
  id: uuid("id").primaryKey().defaultRandom(),
  label: text("label").notNull(),
  version: integer("version").notNull().default(1),
});
const widgetEvents = pgTable("test_widget_events", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  widgetId: uuid("widget_id").notNull(),
  action: text("action").notNull(),
  actorId: uuid("actor_id"),
  jobId: text("job_id"),
  changes: jsonb("changes").notNull(),
  version: integer("version").notNull(),
  requestId: text("request_id").notNull(),
});
type Widget = typeof widgets.$inferSelect;

const appended: AuditEvent<"created" | "relabelled">[] = [];
const widgetEntity: VersionedEntity<typeof widgets, Widget, "created" | "relabelled"> = {
  table: widgets,
  noun: "widget",
  // Any reason the entity owns; a real one adds WIDGET_NOT_FOUND to reasonCodes (and docs/api.md).
  notFound: () => new DomainError("TOKEN_NOT_FOUND", "No widget with this id"),
  find: async (db: Db, id: string) => (await db.select().from(widgets).where(eq(widgets.id, id)).limit(1))[0],
  appendEvent: async (tx, event) => {
    appended.push(event);
    await tx.insert(widgetEvents).values({
      widgetId: event.entityId,
      action: event.action,
      actorId: auditUserId(event.actor),
      jobId: event.jobId ?? null,
      changes: event.changes,
      version: event.version,
      requestId: event.requestId,
    });
  },
  channel: "widget-changes",
};

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
  await h.db.db.execute(sql.raw("create table test_widgets (id uuid primary key default gen_random_uuid(), label text not null, version integer not null default 1)"));
  await h.db.db.execute(
    sql.raw(
      "create table test_widget_events (id integer primary key generated always as identity, widget_id uuid not null, action text not null, actor_id uuid, job_id text, changes jsonb not null, version integer not null, request_id text not null)",
    ),
  );
});
afterAll(() => h?.close());

const ctxFor = (jobId?: string) => domainContext({ db: h.db.db, kv: h.kv }, systemActor("widget-job", h.users.editor.userId), { jobId });
const relabel = (ctx: DomainContext, id: string, version: number, label: string) =>
  versionedWrite(ctx, widgetEntity, { id, precondition: { kind: "version", version, source: "input" }, action: "relabelled" }, () => ({ label }));
const eventsOf = (id: string) => h.db.db.select().from(widgetEvents).where(eq(widgetEvents.widgetId, id)).orderBy(widgetEvents.id);

describe("the versioned-write kernel with a second entity", () => {
  it("creates at version 1 and compare-and-sets each change, with its audit event and a publish after commit", async () => {
    const ctx = ctxFor("job-7");
    const w = await versionedCreate(ctx, widgetEntity, "created", () => ({ label: "first" }));
    expect(w).toMatchObject({ label: "first", version: 1 });
    const next = await relabel(ctx, w.id, 1, "second");
    expect(next).toMatchObject({ label: "second", version: 2 });

    expect(await eventsOf(w.id)).toEqual([
      expect.objectContaining({ action: "created", version: 1, actorId: h.users.editor.userId, jobId: "job-7", changes: { label: { before: null, after: "first" } }, requestId: ctx.requestId }),
      expect.objectContaining({ action: "relabelled", version: 2, actorId: h.users.editor.userId, jobId: "job-7", changes: { label: { before: "first", after: "second" } } }),
    ]);
    expect(ctx.published).toEqual([
      { channel: "widget-changes", message: ctx.requestId },
      { channel: "widget-changes", message: ctx.requestId },
    ]);
  });

  it("a stale version is CONFLICT carrying the widget as it is now; an If-Match one is VERSION_MISMATCH", async () => {
    const ctx = ctxFor();
    const w = await versionedCreate(ctx, widgetEntity, "created", () => ({ label: "base" }));
    await relabel(ctx, w.id, 1, "theirs");
    ctx.published.length = 0;

    const err = await caught(relabel(ctx, w.id, 1, "mine"));
    expect(err).toMatchObject({ code: "CONFLICT", reason: "VERSION_CONFLICT" });
    expect(err.message).toContain("This widget was changed by someone else (now at version 2)");
    expect(err.details).toEqual({ currentVersion: 2, currentEtag: '"2"', current: { id: w.id, label: "theirs", version: 2 } });

    const mismatch = await caught(
      versionedWrite(ctx, widgetEntity, { id: w.id, precondition: { kind: "version", version: 1, source: "if-match" }, action: "relabelled" }, () => ({ label: "mine" })),
    );
    expect(mismatch).toMatchObject({ code: "PRECONDITION_FAILED", reason: "VERSION_MISMATCH" });
    expect((await eventsOf(w.id)).length).toBe(2);
    expect(ctx.published).toEqual([]);
  });

  it("an unknown id is the entity's not-found, which wins over any precondition", async () => {
    const err = await caught(relabel(ctxFor(), "00000000-0000-4000-8000-000000000000", 99, "x"));
    expect(err).toMatchObject({ code: "NOT_FOUND", reason: "TOKEN_NOT_FOUND", message: "No widget with this id" });
  });

  it("a write that changes nothing makes no version, no event and no announcement", async () => {
    const ctx = ctxFor();
    const w = await versionedCreate(ctx, widgetEntity, "created", () => ({ label: "same" }));
    ctx.published.length = 0;
    expect(await relabel(ctx, w.id, 1, "same")).toMatchObject({ version: 1 });
    expect((await eventsOf(w.id)).length).toBe(1);
    expect(ctx.published).toEqual([]);
  });

  it("a plan that throws rolls the write back and announces nothing", async () => {
    const ctx = ctxFor();
    const w = await versionedCreate(ctx, widgetEntity, "created", () => ({ label: "kept" }));
    ctx.published.length = 0;
    const refusal = new DomainError("EMPTY_PATCH", "refused");
    await expect(
      versionedWrite(ctx, widgetEntity, { id: w.id, precondition: { kind: "any" }, action: "relabelled" }, async (_current, tx) => {
        await tx.update(widgets).set({ label: "half-done" }).where(eq(widgets.id, w.id));
        throw refusal;
      }),
    ).rejects.toBe(refusal);
    expect(await widgetEntity.find(h.db.db, w.id)).toMatchObject({ label: "kept", version: 1 });
    expect(ctx.published).toEqual([]);
  });

  it("inside a larger unit of work, the announcement waits for its commit", async () => {
    const ctx = ctxFor("job-8");
    let id = "";
    await inTransaction(ctx, async (tx) => {
      id = (await versionedCreate(tx, widgetEntity, "created", () => ({ label: "one" }))).id;
      await relabel(tx, id, 1, "two");
      expect(ctx.published).toEqual([]);
    });
    expect(ctx.published).toEqual([{ channel: "widget-changes", message: ctx.requestId }]);
    expect(appended.filter((e) => e.entityId === id).map((e) => [e.action, e.version, e.jobId])).toEqual([
      ["created", 1, "job-8"],
      ["relabelled", 2, "job-8"],
    ]);
  });
});

describe("versionedWriteBatch with the same second entity", () => {
  const relabelAll = (label: string) => (w: Widget) => (w.label.startsWith("frozen") ? { skip: "frozen" } : { label });

  it("judges each item on its own: applied, skipped, conflict (theirs kept), not found; one announcement", async () => {
    const ctx = ctxFor("job-9");
    const [a, b, frozen, same, stale] = await Promise.all(["a", "b", "frozen", "next", "stale"].map((label) => versionedCreate(ctx, widgetEntity, "created", () => ({ label }))));
    await relabel(ctx, stale!.id, 1, "theirs");
    ctx.published.length = 0;
    const missing = "00000000-0000-4000-8000-000000000001";

    const outcomes = await versionedWriteBatch(
      ctx,
      widgetEntity,
      [a!, b!, frozen!, same!, stale!].map((w) => ({ id: w.id, expectedVersion: 1, action: "relabelled" as const })).concat({ id: missing, expectedVersion: 1, action: "relabelled" }),
      relabelAll("next"),
    );
    expect(outcomes).toEqual([
      { id: a!.id, outcome: "applied", version: 2 },
      { id: b!.id, outcome: "applied", version: 2 },
      { id: frozen!.id, outcome: "skipped", reason: "frozen", version: 1 },
      { id: same!.id, outcome: "skipped", reason: "unchanged", version: 1 },
      { id: stale!.id, outcome: "conflict", currentVersion: 2 },
      { id: missing, outcome: "not_found" },
    ]);
    expect(await widgetEntity.find(h.db.db, stale!.id)).toMatchObject({ label: "theirs", version: 2 });
    // No appendEvents on this entity: the kernel called appendEvent per written row.
    expect((await eventsOf(a!.id)).map((e) => [e.action, e.version, e.jobId])).toEqual([
      ["created", 1, "job-9"],
      ["relabelled", 2, "job-9"],
    ]);
    expect((await eventsOf(frozen!.id)).length).toBe(1);
    expect(ctx.published).toEqual([{ channel: "widget-changes", message: ctx.requestId }]);
  });

  it("its in-transaction hook sees the outcomes, and a throw there rolls the whole batch back", async () => {
    const ctx = ctxFor();
    const w = await versionedCreate(ctx, widgetEntity, "created", () => ({ label: "before" }));
    ctx.published.length = 0;
    const seen: unknown[] = [];
    await expect(
      versionedWriteBatch(ctx, widgetEntity, [{ id: w.id, precondition: { kind: "any" }, action: "relabelled" }], relabelAll("after"), {
        inTransaction: async (tx, outcomes) => {
          seen.push(...outcomes, await widgetEntity.find(tx, w.id));
          throw new Error("recording failed");
        },
      }),
    ).rejects.toThrow("recording failed");
    expect(seen).toEqual([{ id: w.id, outcome: "applied", version: 2 }, expect.objectContaining({ label: "after", version: 2 })]);
    expect(await widgetEntity.find(h.db.db, w.id)).toMatchObject({ label: "before", version: 1 });
    expect((await eventsOf(w.id)).length).toBe(1);
    expect(ctx.published).toEqual([]);
  });
});
