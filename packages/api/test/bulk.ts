import { type Db, type DbHandle, type JobRow, jobItems, projectEvents, projects } from "@trellis/db";
import { createJobEngine, getJob, type JobConnection, type JobDefinition, type JobEngine } from "@trellis/jobs";
import { createMemoryKv } from "@trellis/kv";
import { asc, eq, inArray } from "drizzle-orm";
import type { JobDeps } from "../src/jobs/deps.js";

// Helpers for the bulk-change tests: seeded projects, a real job engine on the test database,
// and the counts the exactly-once assertions read.

export const jobDeps = (db: Db): JobDeps => ({
  db,
  kv: createMemoryKv(),
  log: { info() {}, warn() {} },
  now: () => new Date(),
  jobRetentionMs: 86_400_000,
});

export const connectionOf = (h: DbHandle & { url?: string }): JobConnection =>
  h.kind === "pglite" ? { kind: "pglite", pglite: h.pglite! } : { kind: "postgres", url: h.url! };

/** `n` projects at version 1 owned by `ownerId`, named `${prefix} <i>` (one insert per 1,000). */
export async function seedProjects(db: Db, ownerId: string, n: number, prefix: string, extra: Partial<typeof projects.$inferInsert> = {}) {
  const ids: string[] = [];
  for (let start = 0; start < n; start += 1_000) {
    const rows = await db
      .insert(projects)
      .values(Array.from({ length: Math.min(1_000, n - start) }, (_, j) => ({ name: `${prefix} ${start + j}`, ownerId, ...extra })))
      .returning({ id: projects.id });
    ids.push(...rows.map((r) => r.id));
  }
  return ids;
}

/** A job engine running only `project.bulk` with `def`; pg-boss looks for crashed attempts every second. */
export async function startEngine(h: DbHandle & { url?: string }, def: JobDefinition<never>): Promise<JobEngine> {
  const engine = createJobEngine({
    db: h.db,
    connection: connectionOf(h),
    handlers: { "project.bulk": def },
    relayIntervalMs: 20,
    superviseIntervalSeconds: 1,
  });
  await engine.start();
  return engine;
}

/** Polls `fn` until it returns a truthy value; fails after `timeoutMs`. */
export async function waitFor<T>(fn: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const waitForState = (db: Db, id: string, states: JobRow["state"][], timeoutMs?: number) =>
  waitFor(async () => {
    const r = await getJob(db, id);
    return r && states.includes(r.state) && r;
  }, `job ${id} to reach ${states.join("/")}`, timeoutMs);

/** Each project's version and how many audit events the job wrote for it. */
export async function effectsOf(db: Db, jobId: string, ids: string[]) {
  const versions = new Map<string, number>();
  for (let i = 0; i < ids.length; i += 1_000) {
    const rows = await db.select({ id: projects.id, version: projects.version }).from(projects).where(inArray(projects.id, ids.slice(i, i + 1_000)));
    for (const r of rows) versions.set(r.id, r.version);
  }
  const events = await db.select({ projectId: projectEvents.projectId, version: projectEvents.version }).from(projectEvents).where(eq(projectEvents.jobId, jobId));
  const eventsPer = new Map<string, number>();
  for (const e of events) eventsPer.set(e.projectId, (eventsPer.get(e.projectId) ?? 0) + 1);
  return { versions, events, eventsPer };
}

export const itemsOf = (db: Db, jobId: string) =>
  db.select().from(jobItems).where(eq(jobItems.jobId, jobId)).orderBy(asc(jobItems.seq));

/** The crash tests' attempt timeout: also pg-boss's lease, after which a killed worker's job is taken again. */
export const BULK_CRASH_TIMEOUT_SECONDS = 8;
