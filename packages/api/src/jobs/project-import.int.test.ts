import { importKeys, jobItems, projectEvents, projects } from "@trellis/db";
import { createJobEngine, getJob, type JobDefinition, type JobEngine, JobFailure } from "@trellis/jobs";
import { and, asc, count, eq, inArray, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { connectionOf, jobDeps, waitFor, waitForState } from "../../test/bulk.js";
import { domainContext } from "../../test/domain.js";
import { createHarness, type Harness } from "../../test/harness.js";
import type { UserActor } from "../domain/context.js";
import { startImport } from "../domain/import/start.js";
import { storeUpload } from "../domain/import/upload.js";
import { updateProject } from "../domain/project/update.js";
import type { ImportJobInput, ImportMapping } from "../routers/import/schemas.js";
import { projectImportJob } from "./project-import.js";

// Proofs 1 and 3 of issue 11 (and the in-process interrupted apply): imports run by a real job
// engine on the test database (PGlite, or Postgres with DATABASE_URL).

let h: Harness;
let editor: UserActor;
let engine: JobEngine | undefined;
beforeAll(async () => {
  h = await createHarness();
  const u = h.users.editor;
  editor = { kind: "user", userId: u.userId, role: u.role, name: u.name, email: u.email, via: "session" };
});
afterEach(async () => {
  await engine?.stop({ graceMs: 0 });
  engine = undefined;
});
afterAll(() => h?.close());

async function runEngine(def: JobDefinition<never> = projectImportJob(jobDeps(h.db.db)) as JobDefinition<never>) {
  engine = createJobEngine({ db: h.db.db, connection: connectionOf(h.db), handlers: { "project.import": def }, relayIntervalMs: 20, superviseIntervalSeconds: 1 });
  await engine.start();
  return engine;
}

const ctxOf = (db = h.db.db) => domainContext({ db, kv: h.kv }, editor);

async function upload(text: string, filename = "projects.csv") {
  return storeUpload(ctxOf(), { filename, contentType: "text/csv", bytes: Buffer.from(text) });
}

async function start(uploadId: string, mode: ImportJobInput["mode"], opts: { mapping?: ImportMapping; overwriteChanged?: boolean } = {}) {
  return h.db.db.transaction((tx) => startImport(ctxOf(tx), { uploadId, mode, ...opts }));
}

/** Starts the job and waits for it to finish; returns its row. */
async function run(uploadId: string, mode: ImportJobInput["mode"], opts: { mapping?: ImportMapping; overwriteChanged?: boolean } = {}) {
  const job = await start(uploadId, mode, opts);
  return waitForState(h.db.db, job.id, ["succeeded", "failed", "cancelled"], 120_000);
}

const itemsOf = (jobId: string) => h.db.db.select().from(jobItems).where(eq(jobItems.jobId, jobId)).orderBy(asc(jobItems.seq));
const eventsOf = (jobId: string) => h.db.db.select({ projectId: projectEvents.projectId, action: projectEvents.action, idempotencyKey: projectEvents.idempotencyKey }).from(projectEvents).where(eq(projectEvents.jobId, jobId));

function csvOf(tag: string, n: number, edit: (i: number) => string = () => "") {
  const lines = ["external_id,Title,description,status,owner email,tags,budget,due date"];
  for (let i = 0; i < n; i++) {
    lines.push(`${tag}-${i},"${tag} project ${i}${edit(i)}","line one\nline two",active,editor@test.local,a;b,"$1,234.50",2026-12-31`);
  }
  return lines.join("\n");
}

describe("project.import", () => {
  it("proof 1: 5,000 rows import; the same file again changes nothing; an edited copy updates exactly the edited rows, one audit event each", async () => {
    await runEngine();
    const tag = `p1-${crypto.randomUUID().slice(0, 8)}`;
    const N = 5_000;
    const file = await upload(csvOf(tag, N));
    expect(file).toMatchObject({ rowCount: N, delimiter: ",", encoding: "utf-8", unknownColumns: [] });
    expect(file.suggestedMapping).toEqual({ external_id: "externalId", Title: "name", description: "description", status: "status", "owner email": "owner", tags: "tags", budget: "budget", "due date": "dueDate" });

    // Dry run: what it would do, nothing written.
    const dry = await run(file.id, "dryRun");
    expect(dry.result).toEqual({ total: N, created: N, updated: 0, unchanged: 0, conflict: 0, error: 0 });
    const [{ n: none } = { n: -1 }] = await h.db.db.select({ n: count() }).from(projects).where(sql`${projects.name} like ${`${tag} %`}`);
    expect(none).toBe(0);

    let t = performance.now();
    const first = await run(file.id, "apply");
    console.log(`[${h.db.url ? "postgres" : "pglite"}] applied ${N} new rows in ${Math.round(performance.now() - t)} ms (${Math.round(N / ((performance.now() - t) / 1000))} rows/s)`);
    expect(first.result).toEqual({ total: N, created: N, updated: 0, unchanged: 0, conflict: 0, error: 0 });
    const created = await h.db.db.select().from(projects).where(sql`${projects.name} like ${`${tag} %`}`);
    expect(created.length).toBe(N);
    expect(created.find((p) => p.name === `${tag} project 7`)).toMatchObject({
      description: "line one\nline two",
      status: "active",
      ownerId: editor.userId,
      tags: ["a", "b"],
      budgetCents: 123_450,
      dueDate: "2026-12-31",
      version: 1,
    });
    expect((await eventsOf(first.id)).length).toBe(N);

    // The same bytes, uploaded again: every key is known and every project as the file says.
    const again = await run((await upload(csvOf(tag, N))).id, "apply");
    expect(again.result).toEqual({ total: N, created: 0, updated: 0, unchanged: N, conflict: 0, error: 0 });
    expect((await eventsOf(again.id)).length).toBe(0);

    const edited = (i: number) => (i % 97 === 0 ? " (renamed)" : "");
    const editedCount = Array.from({ length: N }, (_, i) => edited(i)).filter(Boolean).length;
    t = performance.now();
    const third = await run((await upload(csvOf(tag, N, edited))).id, "apply");
    console.log(`[${h.db.url ? "postgres" : "pglite"}] re-import with ${editedCount} edits in ${Math.round(performance.now() - t)} ms`);
    expect(third.result).toEqual({ total: N, created: 0, updated: editedCount, unchanged: N - editedCount, conflict: 0, error: 0 });
    const events = await eventsOf(third.id);
    expect(events.length).toBe(editedCount);
    expect(new Set(events.map((e) => e.projectId)).size).toBe(editedCount);
    expect(events.every((e) => e.action === "updated")).toBe(true);
    const updatedItems = (await itemsOf(third.id)).filter((i) => i.outcome === "updated");
    expect(updatedItems.map((i) => (Number(i.itemId) - 2) / 2).every((i) => i % 97 === 0)).toBe(true);
    expect(updatedItems[0]?.detail).toMatchObject({ changed: ["name"], version: 2 });
  }, 300_000);

  it("proof 3: a project edited between the dry run and the apply is a conflict and keeps the edit; overwriteChanged writes over it, audited as such", async () => {
    await runEngine();
    const tag = `p3-${crypto.randomUUID().slice(0, 8)}`;
    await run((await upload(csvOf(tag, 3))).id, "apply");
    const file = await upload(csvOf(tag, 3, (i) => (i === 1 ? " v2" : "")));
    const dry = await run(file.id, "dryRun");
    expect(dry.result).toMatchObject({ updated: 1, unchanged: 2, conflict: 0 });

    const [key] = await h.db.db.select().from(importKeys).where(eq(importKeys.key, `ext:${tag}-1`));
    // Someone edits it in the dashboard after the dry run.
    await updateProject(ctxOf(), { id: key!.projectId, expected: { kind: "version", version: 1, source: "input" }, patch: { description: "edited in Trellis" } });

    const applied = await run(file.id, "apply");
    expect(applied.result).toMatchObject({ created: 0, updated: 0, unchanged: 2, conflict: 1, error: 0 });
    const conflict = (await itemsOf(applied.id)).find((i) => i.outcome === "conflict");
    expect(conflict).toMatchObject({ itemId: "4", detail: { line: 4, key: `ext:${tag}-1`, projectId: key!.projectId, currentVersion: 2, changed: ["name", "description"] } });
    const [kept] = await h.db.db.select().from(projects).where(eq(projects.id, key!.projectId));
    expect(kept).toMatchObject({ description: "edited in Trellis", name: `${tag} project 1`, version: 2 });
    expect((await eventsOf(applied.id)).length).toBe(0);

    const forced = await run(file.id, "apply", { overwriteChanged: true });
    expect(forced.result).toMatchObject({ updated: 1, unchanged: 2, conflict: 0 });
    expect((await itemsOf(forced.id)).find((i) => i.outcome === "updated")?.detail).toMatchObject({ overwritten: true, version: 3 });
    const [over] = await h.db.db.select().from(projects).where(eq(projects.id, key!.projectId));
    expect(over).toMatchObject({ name: `${tag} project 1 v2`, description: "line one\nline two", version: 3 });
    expect(await eventsOf(forced.id)).toEqual([{ projectId: key!.projectId, action: "updated", idempotencyKey: `import-overwrite:${forced.id}` }]);
  }, 60_000);

  it("an exported file (id, version) re-imports: unchanged rows unchanged, edited rows updated, rows edited since the export conflict; new rows are created", async () => {
    await runEngine();
    const tag = `ex-${crypto.randomUUID().slice(0, 8)}`;
    await run((await upload(csvOf(tag, 3))).id, "apply");
    const rows = await h.db.db.select().from(projects).where(sql`${projects.name} like ${`${tag} %`}`).orderBy(asc(projects.name));
    const [a, b, c] = rows;
    // As the export writes them (its columns, formula cells neutralised with a leading ').
    const exported = [
      "id,name,description,status,owner,tags,budget,dueDate,version",
      `${a!.id},${a!.name},"line one\nline two",active,editor@test.local,a;b,1234.50,2026-12-31,1`,
      `${b!.id},${b!.name} edited,"line one\nline two",active,editor@test.local,a;b,1234.50,2026-12-31,1`,
      `${c!.id},${c!.name} edited,"line one\nline two",active,editor@test.local,a;b,1234.50,2026-12-31,1`,
      `,'=SUM(A1:A2) ${tag},,planning,,,,,`,
    ].join("\n");
    await updateProject(ctxOf(), { id: c!.id, expected: { kind: "version", version: 1, source: "input" }, patch: { status: "on_hold" } });
    const file = await upload(exported, "trellis-projects.csv");
    expect(file.unknownColumns).toEqual([]);
    const applied = await run(file.id, "apply");
    expect(applied.result).toEqual({ total: 4, created: 1, updated: 1, unchanged: 1, conflict: 1, error: 0 });
    const items = await itemsOf(applied.id);
    expect(items.map((i) => i.outcome)).toEqual(["unchanged", "updated", "conflict", "created"]);
    const [formula] = await h.db.db.select().from(projects).where(eq(projects.id, String(items[3]?.detail?.projectId)));
    // Stored as text, the export's neutralising apostrophe removed; never evaluated.
    expect(formula?.name).toBe(`=SUM(A1:A2) ${tag}`);
    // The same file again: nothing new (the created row is found by its content hash).
    const again = await run(file.id, "apply");
    expect(again.result).toEqual({ total: 4, created: 0, updated: 0, unchanged: 3, conflict: 1, error: 0 });
  }, 60_000);

  it("an apply interrupted inside its third batch rolls that batch back; the next attempt finishes every row exactly once", async () => {
    const tag = `int-${crypto.randomUUID().slice(0, 8)}`;
    const N = 1_000;
    const file = await upload(csvOf(tag, N));
    const inner = projectImportJob(jobDeps(h.db.db), { batchSize: 100 });
    let n = 0;
    await runEngine({
      ...inner,
      run: (c) => {
        const crash = new AbortController();
        return inner.run({
          ...c,
          signal: crash.signal,
          checkpoint: async () => {
            await c.checkpoint();
            if (++n === 3) crash.abort(new JobFailure("simulated crash", "INTERRUPTED"));
          },
        });
      },
    } as JobDefinition<never>);
    const job = await start(file.id, "apply");
    await waitFor(async () => (await getJob(h.db.db, job.id))?.state === "retrying", "the interrupted attempt");
    await engine!.stop({ graceMs: 0 });
    const done = (await itemsOf(job.id)).filter((i) => i.outcome !== null).length;
    expect(done).toBe(200);
    expect((await eventsOf(job.id)).length).toBe(200);

    await runEngine();
    const row = await waitForState(h.db.db, job.id, ["succeeded", "failed"], 60_000);
    expect(row).toMatchObject({ state: "succeeded", result: { total: N, created: N } });
    const events = await eventsOf(job.id);
    expect(events.length).toBe(N);
    expect(new Set(events.map((e) => e.projectId)).size).toBe(N);
    const ids = (await h.db.db.select({ projectId: importKeys.projectId }).from(importKeys).where(sql`${importKeys.key} like ${`ext:${tag}-%`}`)).map((k) => k.projectId);
    expect(ids.length).toBe(N);
    const [{ n: made } = { n: -1 }] = await h.db.db.select({ n: count() }).from(projects).where(and(sql`${projects.name} like ${`${tag} %`}`, inArray(projects.id, ids)));
    expect(made).toBe(N);
  }, 120_000);
});
