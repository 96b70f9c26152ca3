import { randomUUID } from "node:crypto";
import type { Db } from "@trellis/db";
import { projectEvents, projects } from "@trellis/db";
import { cancelJob, getJob, type JobContext, type JobDefinition, type JobEngine } from "@trellis/jobs";
import { eq, inArray } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { effectsOf, itemsOf, jobDeps, seedProjects, startEngine, waitForState } from "../../test/bulk.js";
import { domainContext } from "../../test/domain.js";
import { createHarness, type Harness } from "../../test/harness.js";
import type { UserActor } from "../domain/context.js";
import { startBulkChange } from "../domain/project/bulk-start.js";
import { updateProject } from "../domain/project/update.js";
import type { BulkProjectsInput, BulkResult } from "../routers/project/bulk-schemas.js";
import { projectBulkJob } from "./project-bulk.js";

// The bulk change job through a real engine (pg-boss on this file's database, PGlite or Postgres):
// what each item ends as, and the exactly-once proofs of issue 10 that one process can show.

let h: Harness;
let editor: UserActor;
const engines: JobEngine[] = [];
beforeAll(async () => {
  h = await createHarness();
  const u = h.users.editor;
  editor = { kind: "user", userId: u.userId, role: u.role, name: u.name, email: u.email, via: "session" };
});
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.stop({ graceMs: 0 })));
});
afterAll(() => h?.close());

const db = (): Db => h.db.db;
const engine = async (def: JobDefinition<never>) => {
  const e = await startEngine(h.db, def);
  engines.push(e);
  return e;
};
/** Starts a bulk change as the editor would: the job row in the caller's transaction. */
const start = (input: BulkProjectsInput) => db().transaction((tx) => startBulkChange(domainContext({ db: tx, kv: h.kv }, editor), input));
/** The job with `hook` run before each of its checkpoints (n counts from 1): a deterministic "meanwhile". */
const withHook = (def: JobDefinition<BulkProjectsInput, BulkResult>, hook: (n: number, c: JobContext<BulkProjectsInput>) => Promise<void>) => {
  let n = 0;
  let finished!: () => void;
  const done = new Promise<void>((r) => (finished = r));
  const wrapped: JobDefinition<BulkProjectsInput, BulkResult> = {
    ...def,
    run: (c) =>
      def
        .run({
          ...c,
          checkpoint: async () => {
            await hook(++n, c);
            await c.checkpoint();
          },
        })
        .finally(finished),
  };
  return { def: wrapped as JobDefinition<never>, done };
};
const counts = (r: Partial<BulkResult>): BulkResult => ({ total: 0, applied: 0, skipped: 0, conflict: 0, notFound: 0, ...r });
const byId = (ids: string[], version = 1) => ({ ids: ids.map((id) => ({ id, expectedVersion: version })) });

describe("project.bulk", () => {
  it("applies, skips, reports conflicts and unknown ids; events name the job and the user; restore undoes archive", async () => {
    const tag = randomUUID();
    const [a, b, stale, archived] = await seedProjects(db(), editor.userId, 4, tag);
    const ctx = domainContext({ db: db(), kv: h.kv }, editor);
    // Someone else edits `stale` after the user saw it at version 1.
    await updateProject(ctx, { id: stale!, expected: 1, patch: { name: "Theirs" } });
    await db().update(projects).set({ archivedAt: new Date(), version: 2 }).where(eq(projects.id, archived!));
    const unknown = randomUUID();
    await engine(projectBulkJob(jobDeps(db())));

    const job = await start({
      change: { action: "archive" },
      selection: { ids: [...byId([a!, b!, stale!]).ids, { id: archived!, expectedVersion: 2 }, { id: unknown, expectedVersion: 1 }] },
    });
    const done = await waitForState(db(), job.id, ["succeeded", "failed"]);
    expect(done).toMatchObject({ state: "succeeded", result: counts({ total: 5, applied: 2, skipped: 1, conflict: 1, notFound: 1 }), progress: { done: 5, total: 5 } });
    expect((await itemsOf(db(), job.id)).map((i) => [i.itemId, i.outcome, i.detail])).toEqual([
      [a, "applied", { version: 2 }],
      [b, "applied", { version: 2 }],
      [stale, "conflict", { currentVersion: 2 }],
      [archived, "skipped", { reason: "already archived", version: 2 }],
      [unknown, "not_found", null],
    ]);
    // The other person's edit stands.
    expect((await db().select().from(projects).where(eq(projects.id, stale!)))[0]).toMatchObject({ name: "Theirs", version: 2, archivedAt: null });
    const events = await db().select().from(projectEvents).where(eq(projectEvents.jobId, job.id)).orderBy(projectEvents.id);
    expect(events.map((e) => [e.projectId, e.action, e.version, e.actorId, e.requestId])).toEqual([
      [a, "archived", 2, editor.userId, job.requestId],
      [b, "archived", 2, editor.userId, job.requestId],
    ]);

    const undo = await start({ change: { action: "restore" }, selection: byId([a!, b!], 2) });
    expect(await waitForState(db(), undo.id, ["succeeded", "failed"])).toMatchObject({ state: "succeeded", result: counts({ total: 2, applied: 2 }) });
    const rows = await db().select().from(projects).where(inArray(projects.id, [a!, b!]));
    expect(rows.map((r) => [r.archivedAt, r.version])).toEqual([
      [null, 3],
      [null, 3],
    ]);
  });

  it("a filter is resolved when the job starts; a project edited while the job runs is a conflict and keeps the edit", async () => {
    const tag = randomUUID();
    const ids = await seedProjects(db(), editor.userId, 1_000, tag, { status: "planning" });
    const [sameStatus] = await seedProjects(db(), editor.userId, 1, tag, { status: "active" });
    const ctx = domainContext({ db: db(), kv: h.kv }, editor);
    let lateId = "";
    let latecomer: string | undefined;
    const job = withHook(projectBulkJob(jobDeps(db()), { batchSize: 100 }), async (n, c) => {
      if (n !== 2) return;
      // The job has fixed its items and done a batch: edit its last item, and add a project that matches too.
      const items = await itemsOf(db(), c.job.id);
      lateId = items.at(-1)!.itemId;
      await updateProject(ctx, { id: lateId, expected: 1, patch: { name: "Edited meanwhile" } });
      [latecomer] = await seedProjects(db(), editor.userId, 1, tag);
    });
    await engine(job.def);
    const row = await start({ change: { action: "setStatus", status: "active" }, selection: { filter: { q: tag, includeArchived: false } } });
    const finished = await waitForState(db(), row.id, ["succeeded", "failed"]);
    await job.done;

    expect(finished.result).toEqual(counts({ total: 1_001, applied: 999, skipped: 1, conflict: 1 }));
    const late = (await itemsOf(db(), row.id)).find((i) => i.itemId === lateId);
    expect(late).toMatchObject({ outcome: "conflict", detail: { currentVersion: 2 } });
    expect((await db().select().from(projects).where(eq(projects.id, lateId)))[0]).toMatchObject({ name: "Edited meanwhile", status: "planning", version: 2 });
    expect((await itemsOf(db(), row.id)).find((i) => i.itemId === sameStatus)).toMatchObject({ outcome: "skipped", detail: { reason: "already active" } });
    // Not selected: it did not match when the job started.
    expect((await db().select().from(projects).where(eq(projects.id, latecomer ?? "")))[0]).toMatchObject({ status: "planning", version: 1 });
    const { versions, eventsPer } = await effectsOf(db(), row.id, ids);
    expect([...versions.values()].filter((v) => v === 2).length).toBe(1_000);
    expect(eventsPer.size).toBe(999);
  });

  it("cancel while running stops at the next checkpoint; the items' report says how many were applied, nothing later changed", async () => {
    const tag = randomUUID();
    const ids = await seedProjects(db(), editor.userId, 2_000, tag);
    const job = withHook(projectBulkJob(jobDeps(db())), async (n, c) => {
      if (n === 4) await cancelJob(db(), c.job.id);
    });
    await engine(job.def);
    const row = await start({ change: { action: "archive" }, selection: { filter: { q: tag, includeArchived: false } } });
    const cancelled = await waitForState(db(), row.id, ["cancelled", "succeeded", "failed"]);
    await job.done;
    expect(cancelled.state).toBe("cancelled");

    const items = await itemsOf(db(), row.id);
    const applied = items.filter((i) => i.outcome === "applied");
    // Whole batches of 200: three ran before the cancel; a checkpoint reads the row at most every
    // 100 ms, so a fast database may start another before one sees it. Never a partial batch.
    expect(applied.length % 200).toBe(0);
    expect(applied.length).toBeGreaterThanOrEqual(600);
    expect(applied.length).toBeLessThan(2_000);
    expect(items.slice(0, applied.length).every((i) => i.outcome === "applied")).toBe(true);
    expect(items.slice(applied.length).every((i) => i.outcome === null)).toBe(true);
    const { versions, eventsPer } = await effectsOf(db(), row.id, ids);
    expect(eventsPer.size).toBe(applied.length);
    expect([...versions.values()].filter((v) => v === 2).length).toBe(applied.length);
    expect(cancelled.progress?.message).toContain(`${applied.length} applied`);
    // The job's last word is what the items say.
    expect((await getJob(db(), row.id))?.progress).toMatchObject({ done: applied.length, total: items.length });
  });
});
