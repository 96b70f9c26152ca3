import { randomUUID } from "node:crypto";
import { type Db, jobItems, jobs, projects } from "@trellis/db";
import { createJobEngine, type JobConnection, JobFailure } from "@trellis/jobs";
import { TRPCError } from "@trpc/server";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import { domainContext } from "../../../test/domain.js";
import { createKeyedHarness, type KeyedHarness } from "../../../test/keyed.js";
import { systemActor } from "../../domain/context.js";
import { archiveProject } from "../../domain/project/archive.js";
import { startBulkChange } from "../../domain/project/bulk-start.js";
import { inTransaction } from "../../domain/context.js";
import { JOB_KINDS } from "../../jobs/kinds.js";
import type { RouterInputs, RouterOutputs } from "../../router.js";
import type { BulkProjectsInput } from "../project/bulk-schemas.js";
import type { JobView } from "./schemas.js";

// One database, one kv and one job engine for the file. The engine runs a test-only handler under
// the bulk kind (the real one is tested with its own file): a selection filtered by q "fail" fails
// every attempt; anything else reports 5 steps of progress and succeeds.
let h: KeyedHarness;
let stopEngine: () => Promise<void> = async () => {};
const attemptTimes = new Map<string, number[]>();
// A job selected by q "progress-…" takes a step only when the test allows it, so the stream's
// events do not depend on how fast this machine is.
let stepsAllowed = 0;

beforeAll(async () => {
  h = await createKeyedHarness();
  const connection: JobConnection = h.db.kind === "pglite" ? { kind: "pglite", pglite: h.db.pglite! } : { kind: "postgres", url: h.db.url! };
  const engine = createJobEngine({
    db: h.db.db as Db,
    connection,
    relayIntervalMs: 50,
    handlers: {
      [JOB_KINDS.projectBulk]: {
        maxAttempts: 3,
        retryDelaySeconds: 1,
        run: async ({ job, input, progress, checkpoint }) => {
          const bulk = input as BulkProjectsInput;
          attemptTimes.set(job.id, [...(attemptTimes.get(job.id) ?? []), Date.now()]);
          if ("filter" in bulk.selection && bulk.selection.filter.q === "fail") {
            throw new JobFailure("The selection could not be resolved", "TEST_REFUSED");
          }
          const q = "filter" in bulk.selection ? (bulk.selection.filter.q ?? "") : "";
          const paced = q.startsWith("progress-");
          const held = q.startsWith("cancel-");
          for (let done = 1; done <= 5; done++) {
            while (paced && done > stepsAllowed) await new Promise((r) => setTimeout(r, 20));
            // "cancel-…": stops after step 1 and waits there, at checkpoints, to be cancelled.
            while (held && done > 1) {
              await checkpoint();
              await new Promise((r) => setTimeout(r, 20));
            }
            await checkpoint();
            await new Promise((r) => setTimeout(r, 120));
            progress(done, 5, `step ${done}`);
          }
          return { total: 5, applied: 5, skipped: 0, conflict: 0, notFound: 0 };
        },
      },
    },
  });
  await engine.start();
  stopEngine = () => engine.stop({ graceMs: 1_000 });
});
afterAll(async () => {
  await stopEngine();
  await h?.close();
});

const byFilter = (q: string): RouterInputs["project"]["bulk"] => ({ change: { action: "archive" }, selection: { filter: { q } } });

async function caught(p: Promise<unknown>): Promise<TRPCError & { reason?: string; details?: Record<string, unknown> }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof TRPCError) return e;
    throw e;
  }
  throw new Error("expected the call to fail");
}

async function until(id: string, ...states: JobView["state"][]): Promise<JobView> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const job = await h.call("admin").caller.job.byId({ id });
    if (states.includes(job.state)) return job;
    if (Date.now() > deadline) throw new Error(`job ${id} is ${job.state}, not ${states.join("|")}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const jobCount = async (where = sql`true`) => Number((await h.db.db.select({ n: sql<number>`count(*)` }).from(jobs).where(where))[0]?.n ?? 0);

describe("project.bulk (proof 1: a job enqueued by a keyed mutation)", () => {
  it("starts one job per Idempotency-Key: a replay answers the same job, and only one row exists", async () => {
    const key = randomUUID();
    const input = byFilter(`replay-${key}`);
    const first = h.call("editor", { idempotencyKey: key });
    const job = await first.caller.project.bulk(input);
    expect(job).toMatchObject({ kind: JOB_KINDS.projectBulk, state: "queued", createdBy: h.users.editor.id, createdByName: h.users.editor.name, attempts: 0 });
    const again = h.call("editor", { idempotencyKey: key });
    const replay = await again.caller.project.bulk(input);
    expect(replay.id).toBe(job.id);
    expect(again.response.headers["idempotent-replayed"]).toBe("true");
    expect(await jobCount(sql`${jobs.input}->'selection'->'filter'->>'q' = ${`replay-${key}`}`)).toBe(1);
    // Same key, other input: refused, and still one job.
    const reused = await caught(h.call("editor", { idempotencyKey: key }).caller.project.bulk(byFilter("other")));
    expect(reused.reason).toBe("IDEMPOTENCY_KEY_REUSED");
    await until(job.id, "succeeded");
  });

  it("leaves no job when the request's transaction rolls back", async () => {
    const q = `rolled-back-${randomUUID()}`;
    const ctx = domainContext({ db: h.db.db as Db, kv: h.kv }, systemActor("test", h.users.editor.id));
    const failure = new Error("the request failed after enqueueing");
    await expect(
      inTransaction(ctx, async (tx) => {
        await startBulkChange(tx, { ...byFilter(q), selection: { filter: { q, includeArchived: false } } });
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await jobCount(sql`${jobs.input}->'selection'->'filter'->>'q' = ${q}`)).toBe(0);
  });

  it("retries a failing handler with backoff and ends failed after the limit, the error visible as message + reason only", async () => {
    const job = await h.call("editor", { idempotencyKey: randomUUID() }).caller.project.bulk(byFilter("fail"));
    const failed = await until(job.id, "failed");
    expect(failed).toMatchObject({ attempts: 3, maxAttempts: 3, error: { message: "The selection could not be resolved", reason: "TEST_REFUSED" } });
    expect(Object.keys(failed.error ?? {}).sort()).toEqual(["message", "reason"]);
    expect(failed.finishedAt).toBeInstanceOf(Date);
    const times = attemptTimes.get(job.id) ?? [];
    const gaps = times.slice(1).map((at, i) => at - (times[i] ?? 0));
    expect(gaps).toHaveLength(2);
    // 1 s, then doubled: backoff, not a fixed delay.
    expect(gaps[0]).toBeGreaterThanOrEqual(900);
    expect(gaps[1]).toBeGreaterThanOrEqual(1_900);
    // The owner sees the same; nothing of a stack anywhere in what they get.
    const seen = await h.call("editor").caller.job.byId({ id: job.id });
    expect(JSON.stringify(seen)).not.toMatch(/\bat .*\.(ts|js):\d+/);
  });

  it("is refused to viewers, writing nothing", async () => {
    const before = await jobCount();
    const err = await caught(h.call("viewer", { idempotencyKey: randomUUID() }).caller.project.bulk(byFilter("viewer")));
    expect({ code: err.code, reason: err.reason }).toEqual({ code: "FORBIDDEN", reason: "INSUFFICIENT_ROLE" });
    expect(await jobCount()).toBe(before);
  });
});

/** A job of `role`'s, written straight to the table in `state` (a job's history is not what these tests are about). */
async function jobOf(role: "viewer" | "editor" | "admin", state: JobView["state"], extra: Partial<typeof jobs.$inferInsert> = {}) {
  const [row] = await h.db.db
    .insert(jobs)
    .values({ kind: "test.fixture", state, createdBy: h.users[role].id, relayedAt: new Date(), ...(state !== "queued" && state !== "running" && { finishedAt: new Date() }), ...extra })
    .returning();
  return row!;
}

describe("job.byId / job.list: who sees what", () => {
  it("shows a user their own jobs and answers JOB_NOT_FOUND for others' and unknown ids alike; admins see all", async () => {
    const mine = await jobOf("viewer", "succeeded");
    expect((await h.call("viewer").caller.job.byId({ id: mine.id })).id).toBe(mine.id);
    expect((await h.call("admin").caller.job.byId({ id: mine.id })).createdByName).toBe(h.users.viewer.name);
    const other = await caught(h.call("editor").caller.job.byId({ id: mine.id }));
    const unknown = await caught(h.call("editor").caller.job.byId({ id: randomUUID() }));
    expect({ code: other.code, reason: other.reason }).toEqual({ code: "NOT_FOUND", reason: "JOB_NOT_FOUND" });
    expect({ code: unknown.code, reason: unknown.reason }).toEqual({ code: "NOT_FOUND", reason: "JOB_NOT_FOUND" });
  });

  it("lists mine newest first with keyset pages, filters by kind and state, and keeps scope all for admins", async () => {
    const kind = `test.list-${randomUUID().slice(0, 8)}`;
    const base = Date.now() - 60_000;
    // Two jobs share a created_at: the id breaks the tie, so paging neither skips nor repeats.
    const made = [];
    for (const [i, state] of (["succeeded", "failed", "failed", "running", "queued"] as const).entries()) {
      made.push(await jobOf("editor", state, { kind, createdAt: new Date(base + Math.min(i, 3) * 1000) }));
    }
    await jobOf("admin", "failed", { kind });
    const editor = h.call("editor").caller;
    const pages: JobView[][] = [];
    let cursor: string | undefined;
    do {
      const page = await editor.job.list({ kind, limit: 2, cursor });
      pages.push(page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const ids = pages.flat().map((j) => j.id);
    const expected = [...made].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (b.id < a.id ? -1 : 1)).map((j) => j.id);
    expect(ids).toEqual(expected);
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    expect((await editor.job.list({ kind, states: ["failed"] })).items.map((j) => j.state)).toEqual(["failed", "failed"]);

    const refused = await caught(editor.job.list({ scope: "all", kind }));
    expect({ code: refused.code, reason: refused.reason }).toEqual({ code: "FORBIDDEN", reason: "INSUFFICIENT_ROLE" });
    const all = await h.call("admin").caller.job.list({ scope: "all", kind, limit: 100 });
    expect(all.items).toHaveLength(6);
    expect((await h.call("admin").caller.job.list({ kind })).items).toHaveLength(1);
    const bad = await caught(editor.job.list({ cursor: "not-a-cursor" }));
    expect(bad.reason).toBe("INVALID_CURSOR");
  });
});

describe("job.cancel / job.retry", () => {
  it("cancels a queued job at once and a running one at its next checkpoint; a finished one is 409 with its state", async () => {
    const queued = await jobOf("viewer", "queued");
    // A viewer may stop their own job (stopping writes starts none).
    const cancelled = await h.call("viewer", { idempotencyKey: randomUUID() }).caller.job.cancel({ id: queued.id });
    expect(cancelled).toMatchObject({ state: "cancelled", cancelRequested: true });
    const running = await jobOf("editor", "running");
    expect(await h.call("admin", { idempotencyKey: randomUUID() }).caller.job.cancel({ id: running.id })).toMatchObject({ state: "running", cancelRequested: true });

    const again = await caught(h.call("viewer", { idempotencyKey: randomUUID() }).caller.job.cancel({ id: queued.id }));
    expect({ code: again.code, reason: again.reason, jobState: again.details?.jobState }).toEqual({ code: "CONFLICT", reason: "JOB_ALREADY_FINISHED", jobState: "cancelled" });
    const notMine = await caught(h.call("editor", { idempotencyKey: randomUUID() }).caller.job.cancel({ id: (await jobOf("viewer", "queued")).id }));
    expect(notMine.reason).toBe("JOB_NOT_FOUND");
    const unknown = await caught(h.call("admin", { idempotencyKey: randomUUID() }).caller.job.cancel({ id: randomUUID() }));
    expect(unknown.reason).toBe("JOB_NOT_FOUND");
  });

  it("cancels a bulk job running on the engine: it ends cancelled, having stopped at a checkpoint", async () => {
    const job = await h.call("editor", { idempotencyKey: randomUUID() }).caller.project.bulk(byFilter(`cancel-${randomUUID()}`));
    // Held after step 1: cancel it there.
    while ((await h.call("editor").caller.job.byId({ id: job.id })).progress?.done !== 1) await new Promise((r) => setTimeout(r, 50));
    const asked = await h.call("editor", { idempotencyKey: randomUUID() }).caller.job.cancel({ id: job.id });
    expect(asked).toMatchObject({ state: "running", cancelRequested: true });
    const ended = await until(job.id, "cancelled", "succeeded");
    expect(ended).toMatchObject({ state: "cancelled", progress: { done: 1, total: 5 } });
  });

  it("retries a failed job as a new attempt, refuses a running one (409 with its state), and keeps viewers out", async () => {
    const failed = await jobOf("editor", "failed", { attempts: 3, maxAttempts: 3, error: { message: "no", reason: "X" } });
    const key = randomUUID();
    const retried = await h.call("editor", { idempotencyKey: key }).caller.job.retry({ id: failed.id });
    expect(retried).toMatchObject({ id: failed.id, state: "queued", maxAttempts: 4, finishedAt: null });
    // The same key answers the same outcome, not a second retry.
    const replayed = h.call("editor", { idempotencyKey: key });
    expect((await replayed.caller.job.retry({ id: failed.id })).id).toBe(failed.id);
    expect(replayed.response.headers["idempotent-replayed"]).toBe("true");

    const running = await jobOf("editor", "running");
    const refused = await caught(h.call("editor", { idempotencyKey: randomUUID() }).caller.job.retry({ id: running.id }));
    expect({ code: refused.code, reason: refused.reason, jobState: refused.details?.jobState }).toEqual({ code: "CONFLICT", reason: "JOB_NOT_RETRYABLE", jobState: "running" });
    const viewers = await caught(h.call("viewer", { idempotencyKey: randomUUID() }).caller.job.retry({ id: (await jobOf("viewer", "failed")).id }));
    expect({ code: viewers.code, reason: viewers.reason }).toEqual({ code: "FORBIDDEN", reason: "INSUFFICIENT_ROLE" });
    const unknown = await caught(h.call("admin", { idempotencyKey: randomUUID() }).caller.job.retry({ id: randomUUID() }));
    expect(unknown.reason).toBe("JOB_NOT_FOUND");
  });
});

describe("job.items / job.events: the report and the audit trail", () => {
  it("pages a job's items in work order, filters by outcome (pending too) and counts every outcome", async () => {
    const job = await jobOf("editor", "running");
    const outcomes = ["applied", "applied", "conflict", null, "not_found", "skipped", null] as const;
    await h.db.db.insert(jobItems).values(
      outcomes.map((outcome, seq) => ({ jobId: job.id, seq, itemId: randomUUID(), expectedVersion: 1, outcome, ...(outcome && { doneAt: new Date() }), ...(outcome === "conflict" && { detail: { currentVersion: 2 } }) })),
    );
    const editor = h.call("editor").caller;
    const first = await editor.job.items({ id: job.id, limit: 4 });
    expect(first.items.map((i) => i.seq)).toEqual([0, 1, 2, 3]);
    expect(first.counts).toEqual({ applied: 2, skipped: 1, conflict: 1, not_found: 1, failed: 0, created: 0, updated: 0, unchanged: 0, error: 0, pending: 2, total: 7 });
    const second = await editor.job.items({ id: job.id, limit: 4, cursor: first.nextCursor! });
    expect(second.items.map((i) => i.seq)).toEqual([4, 5, 6]);
    expect(second.nextCursor).toBeNull();
    expect((await editor.job.items({ id: job.id, outcome: "pending" })).items.map((i) => i.seq)).toEqual([3, 6]);
    expect((await editor.job.items({ id: job.id, outcome: "conflict" })).items[0]?.detail).toEqual({ currentVersion: 2 });
    expect((await caught(h.call("viewer").caller.job.items({ id: job.id }))).reason).toBe("JOB_NOT_FOUND");
  });

  it("lists the project changes a job made, oldest first, and nothing else", async () => {
    const job = await jobOf("editor", "running");
    const made = [];
    for (let i = 0; i < 3; i++) made.push(await h.call("editor", { idempotencyKey: randomUUID() }).caller.project.create({ name: `Trail ${i}` }));
    const inJob = domainContext({ db: h.db.db as Db, kv: h.kv }, systemActor(JOB_KINDS.projectBulk, h.users.editor.id), { jobId: job.id });
    for (const p of made) await archiveProject(inJob, { id: p.id, expected: 1 });
    const page = await h.call("editor").caller.job.events({ id: job.id, limit: 2 });
    expect(page.items.map((e) => [e.projectId, e.action, e.version, e.actorName])).toEqual(made.slice(0, 2).map((p) => [p.id, "archived", 2, h.users.editor.name]));
    const rest = await h.call("editor").caller.job.events({ id: job.id, cursor: page.nextCursor! });
    expect(rest.items.map((e) => e.projectId)).toEqual([made[2]!.id]);
    expect(rest.nextCursor).toBeNull();
    const archived = await h.db.db.select({ id: projects.id }).from(projects).where(eq(projects.name, "Trail 0"));
    expect(archived).toHaveLength(1);
  });
});

type Tracked = [id: string, job: JobView];

describe("job.progress (proof 6)", () => {
  it("streams the job as it changes, in order, ending with the final state; a reconnect resumes without repeating", async () => {
    const job = await h.call("editor", { idempotencyKey: randomUUID() }).caller.project.bulk(byFilter(`progress-${randomUUID()}`));
    const seen: Tracked[] = [];
    stepsAllowed = 2;
    // Read up to step 2 (where the job waits), then drop the connection, like a network blip.
    for await (const event of await h.call("editor").caller.job.progress({ id: job.id })) {
      seen.push(event as unknown as Tracked);
      if (seen.at(-1)![1].progress?.done === 2) break;
    }
    const resumed: Tracked[] = [];
    // One step at a time, each allowed once the last was seen: every step is an event of its own.
    stepsAllowed = 3;
    for await (const event of await h.call("editor").caller.job.progress({ id: job.id, lastEventId: seen.at(-1)![0] })) {
      resumed.push(event as unknown as Tracked);
      if (resumed.at(-1)![1].progress?.done === stepsAllowed && stepsAllowed < 5) stepsAllowed++;
    }
    const all = [...seen, ...resumed];
    expect(all[0]![1].state).toBe("queued");
    expect(all.map(([, j]) => j.state)).toContain("running");
    // Resumed after step 2: nothing repeated, then steps 3, 4, 5 and the final state.
    expect([...new Set(resumed.map(([, j]) => j.progress?.done))]).toEqual([3, 4, 5]);
    expect(all.at(-1)![1]).toMatchObject({ state: "succeeded", progress: { done: 5, total: 5 }, result: { applied: 5 } });
    // Progress never goes back, and event ids strictly increase across the reconnect.
    const done = all.map(([, j]) => j.progress?.done ?? 0);
    expect([...done].sort((a, b) => a - b)).toEqual(done);
    const positions = all.map(([id]) => id.split("-").slice(0, 2).map(Number) as [number, number]);
    for (let i = 1; i < positions.length; i++) {
      const [ms, tie] = positions[i]!;
      const [prevMs, prevTie] = positions[i - 1]!;
      expect(ms > prevMs || (ms === prevMs && tie > prevTie)).toBe(true);
    }
    expect(new Set(all.map(([id]) => id)).size).toBe(all.length);

    // Reconnecting after the final event: nothing repeated, the stream just ends.
    const after: Tracked[] = [];
    for await (const event of await h.call("editor").caller.job.progress({ id: job.id, lastEventId: all.at(-1)![0] })) after.push(event as unknown as Tracked);
    expect(after).toEqual([]);
  });

  it("answers JOB_NOT_FOUND for someone else's job before streaming anything", async () => {
    const job = await jobOf("admin", "running");
    const err = await caught((async () => {
      for await (const _ of await h.call("editor").caller.job.progress({ id: job.id })) break;
    })());
    expect(err.reason).toBe("JOB_NOT_FOUND");
  });
});

describe("types sibling apps rely on", () => {
  it("exposes the job procedures' inputs and outputs", () => {
    expectTypeOf<RouterOutputs["job"]["byId"]>().toEqualTypeOf<JobView>();
    expectTypeOf<RouterOutputs["project"]["bulk"]>().toEqualTypeOf<JobView>();
    expectTypeOf<RouterInputs["job"]["list"]>().toMatchTypeOf<{ scope?: "mine" | "all"; limit?: number; cursor?: string } | undefined>();
    expectTypeOf<RouterOutputs["job"]["items"]["counts"]["pending"]>().toEqualTypeOf<number>();
  });
});
