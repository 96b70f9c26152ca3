import { randomUUID } from "node:crypto";
import { type Db, importKeys, jobItems, projectEvents, projects } from "@trellis/db";
import type { JobItemOutcome } from "@trellis/db/constants";
import { and, asc, count, eq, inArray, isNull, sql } from "drizzle-orm";
import { DomainError } from "../../errors.js";
import type { ImportItemDetail, ImportJobInput, ImportResult } from "../../routers/import/schemas.js";
import { createProjectInput } from "../../routers/project/schemas.js";
import { actingUserId, type DomainContext, inTransaction } from "../context.js";
import { createProject, type CreateProject } from "../project/create.js";
import { CHANGES_CHANNEL, projectEntity, projectEventRow } from "../project/entity.js";
import { appendProjectEvent } from "../project/events.js";
import { uniqueTags } from "../project/owner.js";
import { versionedWrite } from "../versioned-write.js";
import { BatchTakenError } from "../project/bulk.js";
import type { PendingRow } from "./resolve.js";
import { addIssues, type ColumnPlan, type RowValues } from "./rows.js";

// Step two of an import job: the pending rows, a batch per transaction. Each row is judged
// against import_keys and its project (created / updated / unchanged / conflict / error); an
// apply then makes the change (versionedCreate / versionedWrite, each in its own savepoint, so a
// failing row rolls back alone), remembers the key, and records the row's outcome, all in the
// batch's transaction: a crash loses the whole batch or none of it, and a resumed attempt only
// sees rows without an outcome. A dry run records the same judgement and writes nothing else.

type Current = { id: string; version: number } & Required<RowValues>;

/** The fields of `values` that differ from the project's (tags compared as the set a write stores). */
function changedFields(current: Current, values: RowValues): (keyof RowValues)[] {
  return (Object.keys(values) as (keyof RowValues)[]).filter((f) => {
    const next = f === "tags" && values.tags ? uniqueTags(values.tags) : values[f];
    return next !== undefined && JSON.stringify(next) !== JSON.stringify(current[f]);
  });
}

interface Judged {
  outcome: Exclude<JobItemOutcome, "applied" | "skipped" | "not_found" | "failed">;
  detail: ImportItemDetail;
  /** An apply's new project, created with the batch's others (createAll). */
  create?: CreateProject;
  /** What import_keys should say of this row's key after the batch. */
  remember?: { projectId: string; version: number };
}

export interface ImportBatch {
  seq: number;
  row: PendingRow;
  expectedVersion: number | null;
}

/** Runs one batch; returns how many rows it did (0: nothing left). */
export async function importBatch(
  ctx: DomainContext & { jobId: string },
  input: ImportJobInput,
  plan: ColumnPlan,
  limit: number,
  signal?: AbortSignal,
): Promise<Judged["outcome"][]> {
  return inTransaction(ctx, async (tctx) => {
    const tx = tctx.db;
    // Claimed under a row lock: a second attempt of this job waits here, then finds them done.
    const claimed = await tx
      .select({ seq: jobItems.seq, detail: jobItems.detail, expectedVersion: jobItems.expectedVersion })
      .from(jobItems)
      .where(and(eq(jobItems.jobId, ctx.jobId), isNull(jobItems.outcome)))
      .orderBy(asc(jobItems.seq))
      .limit(limit)
      .for("update");
    if (claimed.length === 0) return [];
    const batch: ImportBatch[] = claimed.map((c) => ({ seq: c.seq, row: (c.detail as { row: PendingRow }).row, expectedVersion: c.expectedVersion }));
    if (input.mode === "apply") {
      // Each key locked for the batch, in one order: two imports of the same key (two jobs) wait
      // for each other instead of both creating its project. Taken before any audit event's lock.
      const locks = [...new Set(batch.map((b) => b.row.key))].sort().map((k) => sql`${k}`);
      await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(k, 7304213)) from unnest(array[${sql.join(locks, sql`, `)}]::text[]) as k order by k`);
    }
    const keys = await tx
      .select({ key: importKeys.key, projectId: importKeys.projectId, version: importKeys.version })
      .from(importKeys)
      .where(inArray(importKeys.key, batch.map((b) => b.row.key)));
    const known = new Map(keys.map((k) => [k.key, k]));
    const ids = [...new Set(batch.flatMap((b) => [known.get(b.row.key)?.projectId ?? b.row.id ?? []].flat()))];
    const rows =
      ids.length === 0
        ? []
        : await tx
            .select({
              id: projects.id,
              version: projects.version,
              name: projects.name,
              description: projects.description,
              status: projects.status,
              ownerId: projects.ownerId,
              tags: projects.tags,
              budgetCents: projects.budgetCents,
              dueDate: projects.dueDate,
            })
            .from(projects)
            .where(inArray(projects.id, ids));
    const current = new Map<string, Current>(rows.map((r) => [r.id, r]));

    const jctx = { ...tctx, jobId: ctx.jobId };
    const results: Judged[] = [];
    for (const item of batch) results.push(await importRow(jctx, input, plan, item, known.get(item.row.key), current));
    const creates = results.flatMap((r, i) => (r.create ? [{ i, values: r.create }] : []));
    if (creates.length > 0) {
      const made = await createAll(jctx, creates.map((c) => c.values));
      creates.forEach(({ i }, k) => {
        const r = results[i];
        const m = made[k];
        if (!r || !m) return;
        results[i] =
          m instanceof DomainError
            ? { outcome: "error", detail: { ...r.detail, formErrors: [m.message] } }
            : { outcome: "created", detail: { ...r.detail, projectId: m.id, version: m.version }, remember: { projectId: m.id, version: m.version } };
      });
    }
    const remembered = results.flatMap((r, i) => (r.remember && batch[i] ? [{ key: batch[i].row.key, ...r.remember, jobId: ctx.jobId }] : []));
    if (remembered.length > 0) {
      await tx
        .insert(importKeys)
        .values(remembered)
        .onConflictDoUpdate({
          target: importKeys.key,
          set: { projectId: sql`excluded.project_id`, version: sql`excluded.version`, jobId: sql`excluded.job_id`, updatedAt: sql`now()` },
        });
    }

    const values = sql.join(
      results.map((r, i) => sql`(${batch[i]?.seq}::int, ${r.outcome}::job_item_outcome, ${JSON.stringify(r.detail)}::jsonb)`),
      sql`, `,
    );
    const recorded = await tx
      .update(jobItems)
      .set({ outcome: sql`v.outcome`, detail: sql`v.detail`, doneAt: sql`now()` })
      .from(sql`(values ${values}) as v(seq, outcome, detail)`)
      .where(and(eq(jobItems.jobId, ctx.jobId), sql`${jobItems.seq} = v.seq`, isNull(jobItems.outcome)))
      .returning({ seq: jobItems.seq });
    // The rows were claimed under lock, so this is a bug guard: never record over another attempt.
    if (recorded.length !== batch.length) throw new BatchTakenError(`job ${ctx.jobId}: ${batch.length - recorded.length} rows were done by another attempt`);
    // An attempt the engine gave up on (cancelled mid-batch, stopped past its grace) rolls back.
    signal?.throwIfAborted();
    return results.map((r) => r.outcome);
  });
}

/** One row: the judgement, and in an apply the change, in a savepoint of the batch. */
async function importRow(
  ctx: DomainContext & { jobId: string },
  input: ImportJobInput,
  plan: ColumnPlan,
  { row, expectedVersion }: ImportBatch,
  known: { projectId: string; version: number } | undefined,
  current: Map<string, Current>,
): Promise<Judged> {
  const apply = input.mode === "apply";
  const base = { line: row.line, key: row.key };
  const targetId = known?.projectId ?? row.id;

  if (targetId === undefined) {
    // New: the same schema as project.create (the name is required now, defaults fill the rest).
    const parsed = createProjectInput.safeParse(row.values);
    if (!parsed.success) {
      const fieldErrors: Record<string, string[]> = {};
      addIssues(fieldErrors, parsed.error, plan);
      return { outcome: "error", detail: { ...base, fieldErrors } };
    }
    return { outcome: "created", detail: base, create: apply ? parsed.data : undefined };
  }

  const project = current.get(targetId);
  if (!project) return { outcome: "error", detail: { ...base, formErrors: [`No project with the id ${targetId}`] } };
  const withProject = { ...base, projectId: project.id };
  const changed = changedFields(project, row.values);
  if (changed.length === 0) {
    // Already as the file says: nothing to write, whoever made it so. Remembered, so a later
    // edit of this row is checked against this version.
    const remember = apply && known?.version !== project.version ? { projectId: project.id, version: project.version } : undefined;
    return { outcome: "unchanged", detail: { ...withProject, version: project.version }, remember };
  }
  // Not edited in Trellis since this row was made: the project is still at the version the file
  // says it was exported at (`version` column), or at the one the last import of this key left.
  // A row with neither (an id and no version) cannot tell, so it counts as edited.
  const edited = project.version !== expectedVersion && project.version !== known?.version;
  if (edited && !input.overwriteChanged) {
    const now = Object.fromEntries(changed.map((f) => [f, project[f]]));
    return { outcome: "conflict", detail: { ...withProject, currentVersion: project.version, changed, current: now } };
  }
  const overwritten = edited ? { overwritten: true } : {};
  if (!apply) return { outcome: "updated", detail: { ...withProject, changed, ...overwritten } };

  const patch = Object.fromEntries(changed.map((f) => [f, f === "tags" && row.values.tags ? uniqueTags(row.values.tags) : row.values[f]]));
  const write = await savepoint(
    // An overwrite is marked on its audit event: the kernel records the context's idempotency key
    // there, and an import job has none of its own (see docs/import-export.md).
    edited ? { ...ctx, idempotencyKey: `import-overwrite:${ctx.jobId}` } : ctx,
    (sctx) =>
      versionedWrite(sctx, projectEntity, { id: project.id, precondition: { kind: "version", version: project.version, source: "input" }, action: "updated" }, () => patch),
  );
  if (write instanceof DomainError) {
    if (write.reason === "VERSION_CONFLICT") return { outcome: "conflict", detail: { ...withProject, currentVersion: write.details.currentVersion, changed } };
    return { outcome: "error", detail: { ...withProject, formErrors: [write.message] } };
  }
  current.set(project.id, { ...project, ...patch, version: write.version });
  return { outcome: "updated", detail: { ...withProject, version: write.version, changed, ...overwritten }, remember: { projectId: project.id, version: write.version } };
}

/**
 * Runs a use case inside the batch: its own transaction is a savepoint of the batch's, so a domain
 * refusal (unknown owner, a lost race) rolls back this row only and is returned, not thrown.
 */
async function savepoint<T>(ctx: DomainContext, work: (ctx: DomainContext) => Promise<T>): Promise<T | DomainError> {
  try {
    return await work(ctx);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
}

/**
 * The batch's new projects: one multi-row insert and one of their audit events, in a savepoint;
 * each project and event exactly as versionedCreate (via createProject) would write it, one row
 * at a time. Should the insert fail (a value the schemas let through and Postgres does not), the
 * savepoint is rolled back and each project is created on its own, so only the bad row fails.
 */
async function createAll(ctx: DomainContext & { jobId: string }, rows: CreateProject[]): Promise<({ id: string; version: number } | DomainError)[]> {
  const ownerId = actingUserId(ctx.actor, "create a project");
  const values = rows.map((r) => ({ ...r, ownerId: r.ownerId ?? ownerId, tags: uniqueTags(r.tags) }));
  try {
    const ids = await ctx.db.transaction(async (tx) => {
      // Ids made here, so no reliance on the order RETURNING gives rows back in.
      const ids = values.map(() => randomUUID());
      await tx.insert(projects).values(values.map((v, i) => ({ ...v, id: ids[i] })));
      const events = values.map((v, i) =>
        projectEventRow({
          entityId: ids[i] ?? "",
          action: "created",
          changes: Object.fromEntries(Object.entries(v).map(([field, after]) => [field, { before: null, after }])),
          version: 1,
          actor: ctx.actor,
          requestId: ctx.requestId,
          idempotencyKey: ctx.idempotencyKey,
          jobId: ctx.jobId,
        }),
      );
      const [first, ...rest] = events;
      // The first through appendProjectEvent: it takes the event-order lock, held to commit.
      if (first) await appendProjectEvent(tx, first);
      if (rest.length > 0) await tx.insert(projectEvents).values(rest);
      return ids;
    });
    ctx.publish(CHANGES_CHANNEL, ctx.requestId);
    return ids.map((id) => ({ id, version: 1 }));
  } catch (error) {
    ctx.log.warn({ err: error, jobId: ctx.jobId }, "import: a batch insert failed; creating its projects one by one");
    const made: ({ id: string; version: number } | DomainError)[] = [];
    for (const r of rows) made.push(await savepoint(ctx, (sctx) => createProject(sctx, r)));
    return made;
  }
}

/** The report's totals, counted from the items (right for a resumed or cancelled job too). */
export async function importCounts(db: Db, jobId: string): Promise<ImportResult & { pending: number }> {
  const rows = await db.select({ outcome: jobItems.outcome, n: count() }).from(jobItems).where(eq(jobItems.jobId, jobId)).groupBy(jobItems.outcome);
  const of = (o: JobItemOutcome | null) => Number(rows.find((r) => r.outcome === o)?.n ?? 0);
  return {
    total: rows.reduce((a, r) => a + Number(r.n), 0),
    created: of("created"),
    updated: of("updated"),
    unchanged: of("unchanged"),
    conflict: of("conflict"),
    error: of("error"),
    pending: of(null),
  };
}
