import { type Db, jobArtifactChunks, projects } from "@trellis/db";
import { cancelJob, createJobEngine, type JobContext, type JobDefinition, type JobEngine } from "@trellis/jobs";
import { parse } from "csv-parse/sync";
import { and, asc, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { connectionOf, jobDeps, waitForState } from "../../test/bulk.js";
import { domainContext } from "../../test/domain.js";
import { createHarness, type Harness } from "../../test/harness.js";
import type { UserActor } from "../domain/context.js";
import { startProjectExport } from "../domain/project/export-start.js";
import {
  budgetCell,
  EXPORT_ARTIFACT_NAME,
  EXPORT_COLUMNS,
  exportProjectsInput,
  type ExportProjectsInput,
  type ExportResult,
  joinTags,
  splitTags,
} from "../routers/project/export-schemas.js";
import { readArtifact } from "./artifacts.js";
import { projectExportJob } from "./project-export.js";

// The export job through a real engine on this file's database (PGlite or Postgres), with tiny
// pages and chunks so a few dozen projects exercise paging, chunking, restart and cancel.

let h: Harness;
let editor: UserActor;
const engines: JobEngine[] = [];
const PREFIX = "Exportjob";
const N = 45;
beforeAll(async () => {
  h = await createHarness();
  const u = h.users.editor;
  editor = { kind: "user", userId: u.userId, role: u.role, name: u.name, email: u.email, via: "session" };
  await h.db.db.insert(projects).values(
    Array.from({ length: N }, (_, i) => ({
      name: `${PREFIX} ${String(i).padStart(2, "0")}`,
      ownerId: u.userId,
      description: i === 3 ? "=1+2" : "",
      tags: i === 4 ? ["a;b", "c\\d"] : [],
      budgetCents: i === 5 ? 123_405 : null,
    })),
  );
});
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.stop({ graceMs: 0 })));
});
afterAll(() => h?.close());

const db = (): Db => h.db.db;
const small = (hook?: (n: number, c: JobContext<ExportProjectsInput>) => Promise<void>): JobDefinition<never> => {
  const def = projectExportJob(jobDeps(db()), { pageSize: 7, chunkBytes: 256 });
  let n = 0;
  return {
    ...def,
    run: (c: JobContext<ExportProjectsInput>) =>
      def.run({
        ...c,
        checkpoint: async () => {
          await hook?.(++n, c);
          await c.checkpoint();
        },
      }),
  } as JobDefinition<never>;
};
async function engine(def: JobDefinition<never>) {
  const e = createJobEngine({ db: db(), connection: connectionOf(h.db), handlers: { "project.export": def }, relayIntervalMs: 20 });
  await e.start();
  engines.push(e);
  return e;
}
const input = exportProjectsInput.parse({ q: PREFIX, sort: "name_asc" });
const chunksOf = (id: string) =>
  db().select({ seq: jobArtifactChunks.seq }).from(jobArtifactChunks).where(and(eq(jobArtifactChunks.jobId, id), eq(jobArtifactChunks.name, EXPORT_ARTIFACT_NAME))).orderBy(asc(jobArtifactChunks.seq));
async function fileOf(id: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of readArtifact(db(), id, EXPORT_ARTIFACT_NAME)) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

describe("the project.export job", () => {
  it("pages through every match in order into a chunked file; a restarted attempt first drops the partial file it finds", async () => {
    await engine(small());
    // A crashed earlier attempt's leftovers, committed with the job itself: they must not end up in the file.
    const job = await db().transaction(async (tx) => {
      const row = await startProjectExport(domainContext({ db: tx, kv: h.kv }, editor), input);
      await tx.insert(jobArtifactChunks).values([0, 1, 2, 40].map((seq) => ({ jobId: row.id, name: EXPORT_ARTIFACT_NAME, seq, bytes: Buffer.from("stale,") })));
      return row;
    });
    const done = await waitForState(db(), job.id, ["succeeded", "failed", "cancelled"]);
    expect(done.state).toBe("succeeded");
    const file = await fileOf(job.id);
    const result = done.result as ExportResult;
    expect(result).toEqual({ rows: N, artifacts: [{ name: EXPORT_ARTIFACT_NAME, contentType: "text/csv; charset=utf-8", sizeBytes: file.length, rows: N }] });
    expect(done.progress).toMatchObject({ done: N, total: N });
    // 256-byte chunks, numbered from 0 with no gaps (none of the stale seq 40).
    const seqs = (await chunksOf(job.id)).map((c) => c.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i));
    expect(seqs.length).toBeGreaterThan(5);

    const [header, ...rows] = parse(file) as string[][];
    expect(header).toEqual([...EXPORT_COLUMNS]);
    expect(rows.map((r) => r[1])).toEqual(Array.from({ length: N }, (_, i) => `${PREFIX} ${String(i).padStart(2, "0")}`));
    const row = (i: number) => Object.fromEntries(EXPORT_COLUMNS.map((c, j) => [c, rows[i]?.[j]]));
    expect(row(3).description).toBe("'=1+2");
    expect(splitTags(row(4).tags ?? "")).toEqual(["a;b", "c\\d"]);
    expect(row(5).budget).toBe("1234.05");
    expect(row(0)).toMatchObject({ owner: editor.email, status: "planning", version: "1", budget: "", dueDate: "" });
  });

  it("stops at a checkpoint when cancelled, and leaves no partial file", async () => {
    let jobId = "";
    await engine(
      small(async (n, c) => {
        jobId = c.job.id;
        if (n !== 3) return;
        await cancelJob(db(), c.job.id);
        // checkpoint() reads the row at most every 100 ms: let that window pass.
        await new Promise((r) => setTimeout(r, 150));
      }),
    );
    const job = await db().transaction((tx) => startProjectExport(domainContext({ db: tx, kv: h.kv }, editor), input));
    const done = await waitForState(db(), job.id, ["succeeded", "failed", "cancelled"]);
    expect(jobId).toBe(job.id);
    expect(done.state).toBe("cancelled");
    // Two pages of 7 were written before the cancel was seen.
    expect(done.progress).toMatchObject({ done: 14, total: N });
    expect(await chunksOf(job.id)).toEqual([]);
  });
});

describe("the export's cell formats", () => {
  it("joins tags so splitTags gives them back, and writes budgets exactly", () => {
    for (const tags of [[], ["one"], ["a;b", "c\\", "\\;"], ["x", "y z"]]) expect(splitTags(joinTags(tags))).toEqual(tags);
    expect([null, 0, 5, 100, 123_456_789].map(budgetCell)).toEqual(["", "0.00", "0.05", "1.00", "1234567.89"]);
  });
});
