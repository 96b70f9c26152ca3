import { type Db, jobItems, jobs, type ProjectAction, projectEvents, projects } from "@trellis/db";
import { and, asc, count, desc, eq, isNull, sql } from "drizzle-orm";
import type { BulkChange, BulkResult, BulkSelection } from "../../routers/project/bulk-schemas.js";
import type { DomainContext } from "../context.js";
import { type AuditEvent, type BatchOutcome, type BatchPlan, versionedWriteBatch } from "../versioned-write.js";
import { projectEntity, projectEventRow } from "./entity.js";
import { appendProjectEvent } from "./events.js";
import { likePattern, projectFilterConditions } from "./filter.js";

// A bulk change works through job_items: the selection is fixed there once, and each item's
// outcome is written in the transaction that changes its project, so a resumed job knows exactly
// what is left (see jobs/project-bulk.ts for the loop).

/** Projects with a batch event writer: one multi-row insert per batch instead of one per project. */
const bulkProjectEntity = {
  ...projectEntity,
  async appendEvents(tx: Db, events: AuditEvent<ProjectAction>[]) {
    const [first, ...rest] = events.map(projectEventRow);
    if (!first) return;
    // The first goes through appendProjectEvent, which takes the event-order lock; held until
    // commit, it covers the rest of the batch's ids too.
    await appendProjectEvent(tx, first);
    if (rest.length > 0) await tx.insert(projectEvents).values(rest);
  },
};

/**
 * Fixes a job's items, once: ids at the versions the user saw, or the projects matching the
 * filter now at their current versions, in the list's default order. In one transaction that locks
 * the job row, so a restarted (or duplicate) attempt finds them and adds none. Returns the total.
 */
export async function resolveBulkItems(db: Db, jobId: string, selection: BulkSelection): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.select({ id: jobs.id }).from(jobs).where(eq(jobs.id, jobId)).for("update");
    const existing = await countItems(tx, jobId);
    if (existing > 0) return existing;
    if ("ids" in selection) {
      // A project named twice is one item (the first version given): it is changed once.
      const seen = new Set<string>();
      const unique = selection.ids.filter((s) => !seen.has(s.id) && Boolean(seen.add(s.id)));
      await tx.insert(jobItems).values(unique.map((s, seq) => ({ jobId, seq, itemId: s.id, expectedVersion: s.expectedVersion })));
    } else {
      const { filter } = selection;
      const where = projectFilterConditions(filter.includeArchived, {
        status: filter.status,
        ownerId: filter.ownerId,
        pattern: filter.q ? likePattern(filter.q) : undefined,
      });
      // Server-side: 10,000 matches never travel to the worker and back.
      await tx.execute(sql`
        insert into ${jobItems} (job_id, seq, item_id, expected_version)
        select ${jobId}::uuid, (row_number() over (order by ${desc(projects.createdAt)}, ${desc(projects.id)}) - 1)::int, ${projects.id}::text, ${projects.version}
        from ${projects} ${where.length > 0 ? sql`where ${and(...where)}` : sql``}`);
    }
    return countItems(tx, jobId);
  });
}

async function countItems(db: Db, jobId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(jobItems).where(eq(jobItems.jobId, jobId));
  return Number(row?.n ?? 0);
}

export interface PendingItem {
  seq: number;
  itemId: string;
  expectedVersion: number | null;
}

/** The next `limit` items with no outcome yet, in order. */
export function pendingItems(db: Db, jobId: string, limit: number): Promise<PendingItem[]> {
  return db
    .select({ seq: jobItems.seq, itemId: jobItems.itemId, expectedVersion: jobItems.expectedVersion })
    .from(jobItems)
    .where(and(eq(jobItems.jobId, jobId), isNull(jobItems.outcome)))
    .orderBy(asc(jobItems.seq))
    .limit(limit);
}

const actionOf = { archive: "archived", restore: "restored", setStatus: "updated" } as const satisfies Record<BulkChange["action"], ProjectAction>;

function planOf(ctx: DomainContext, change: BulkChange): BatchPlan<typeof projects> {
  switch (change.action) {
    case "archive":
      return (p) => (p.archivedAt ? { skip: "already archived" } : { archivedAt: ctx.now() });
    case "restore":
      return (p) => (p.archivedAt ? { archivedAt: null } : { skip: "not archived" });
    case "setStatus":
      return (p) => (p.status === change.status ? { skip: `already ${change.status}` } : { status: change.status });
  }
}

function detailOf(o: BatchOutcome): Record<string, unknown> | null {
  if (o.outcome === "conflict") return { currentVersion: o.currentVersion };
  if (o.outcome === "skipped") return { reason: o.reason, version: o.version };
  if (o.outcome === "applied") return { version: o.version };
  return null;
}

/** This attempt lost the batch to another one that recorded it first: roll back, change nothing. */
export class BatchTakenError extends Error {
  override name = "BatchTakenError";
}

/**
 * Applies one batch of items and records their outcomes, all in one transaction. `signal` is
 * checked last before commit: an attempt the engine gave up on (cancelled mid-batch, stopped past
 * its grace) rolls its batch back rather than finishing behind the engine's back.
 */
export async function applyBulkBatch(
  ctx: DomainContext & { jobId: string },
  change: BulkChange,
  items: PendingItem[],
  signal?: AbortSignal,
): Promise<BatchOutcome[]> {
  const action = actionOf[change.action];
  const batch = items.map((i) =>
    i.expectedVersion === null ? { id: i.itemId, action, precondition: { kind: "any" } as const } : { id: i.itemId, action, expectedVersion: i.expectedVersion },
  );
  return versionedWriteBatch(ctx, bulkProjectEntity, batch, planOf(ctx, change), {
    inTransaction: async (tx, outcomes) => {
      // Outcomes come back in the items' order.
      const rows = sql.join(
        outcomes.map((o, i) => {
          const detail = detailOf(o);
          return sql`(${items[i]?.seq}::int, ${o.outcome}::job_item_outcome, ${detail === null ? null : JSON.stringify(detail)}::jsonb)`;
        }),
        sql`, `,
      );
      const recorded = await tx
        .update(jobItems)
        .set({ outcome: sql`v.outcome`, detail: sql`v.detail`, doneAt: sql`now()` })
        .from(sql`(values ${rows}) as v(seq, outcome, detail)`)
        .where(and(eq(jobItems.jobId, ctx.jobId), sql`${jobItems.seq} = v.seq`, isNull(jobItems.outcome)))
        .returning({ seq: jobItems.seq });
      // Fewer rows: another attempt of this job did (some of) these items first. Its writes stand.
      if (recorded.length !== items.length) throw new BatchTakenError(`job ${ctx.jobId}: ${items.length - recorded.length} items were done by another attempt`);
      signal?.throwIfAborted();
    },
  });
}

/** The job's report, counted from its items (so a resumed or cancelled job's counts are right). */
export async function bulkCounts(db: Db, jobId: string): Promise<BulkResult & { pending: number }> {
  const rows = await db
    .select({ outcome: jobItems.outcome, n: count() })
    .from(jobItems)
    .where(eq(jobItems.jobId, jobId))
    .groupBy(jobItems.outcome);
  const of = (o: (typeof rows)[number]["outcome"]) => Number(rows.find((r) => r.outcome === o)?.n ?? 0);
  return {
    total: rows.reduce((a, r) => a + Number(r.n), 0),
    applied: of("applied"),
    skipped: of("skipped"),
    conflict: of("conflict"),
    notFound: of("not_found"),
    pending: of(null),
  };
}
