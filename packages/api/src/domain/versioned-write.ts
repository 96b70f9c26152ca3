import { createHash } from "node:crypto";
import { type Db, type FieldChanges, one } from "@trellis/db";
import { and, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn, PgTable } from "drizzle-orm/pg-core";
import { DomainError } from "../errors.js";
import { etagFor, type Precondition, satisfies } from "../versioning/precondition.js";
import type { Actor, DomainContext } from "./context.js";

/**
 * The versioned write, for any entity: compare-and-set on `version`, the audit event in the same
 * transaction, the change published after commit. An entity plugs in its table, how to read its
 * current state, its not-found error and its event writer (see domain/project/entity.ts).
 */

/** A table whose rows have a uuid/text `id` and an integer `version` owned by the server. */
export type VersionedTable = PgTable & { id: AnyPgColumn; version: AnyPgColumn };

/** What a write may set: some of the table's insertable columns. */
export type Columns<TTable extends VersionedTable> = Partial<TTable["$inferInsert"]>;

/** One audit event as the kernel hands it to the entity's event writer, inside the write's transaction. */
export interface AuditEvent<TAction extends string = string> {
  entityId: string;
  action: TAction;
  /** Field -> before/after, only the fields that changed. */
  changes: FieldChanges;
  /** The version the change produced. */
  version: number;
  actor: Actor;
  requestId: string;
  idempotencyKey?: string;
  /** Set when the change was made by a job. */
  jobId?: string;
}

export interface VersionedEntity<TTable extends VersionedTable, TState extends { version: number }, TAction extends string> {
  table: TTable;
  /** The entity's name in messages: "project". */
  noun: string;
  notFound(): DomainError;
  /** The current state as the API returns it: what a CONFLICT carries as `current`. */
  find(db: Db, id: string): Promise<TState | undefined>;
  appendEvent(tx: Db, event: AuditEvent<TAction>): Promise<unknown>;
  /** Several events at once (one multi-row insert); used by versionedWriteBatch, which else calls appendEvent per row. */
  appendEvents?(tx: Db, events: AuditEvent<TAction>[]): Promise<unknown>;
  /** The pub/sub channel told (with the request id) once a change has committed. */
  channel: string;
  /** Columns every write sets besides the version, e.g. `{ updatedAt: sql\`now()\` }`. */
  touch?: () => Record<string, SQL>;
}

/**
 * The write lost against a newer version: 409 when the caller sent expectedVersion (tRPC, JSON
 * body), 412 when it sent If-Match (HTTP preconditions). Both carry the current state.
 */
export function versionConflict(noun: string, current: { version: number }, precondition?: Precondition): DomainError {
  const details = { currentVersion: current.version, currentEtag: etagFor(current.version), current };
  if (precondition && (precondition.kind !== "version" || precondition.source === "if-match")) {
    return new DomainError("VERSION_MISMATCH", `If-Match does not match the current version (${etagFor(current.version)})`, details);
  }
  return new DomainError(
    "VERSION_CONFLICT",
    `This ${noun} was changed by someone else (now at version ${current.version}); reload and apply your edit again`,
    details,
  );
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  }
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The fields of `next` whose value differs from `current`'s, with both values. */
export function diffColumns(current: object, next: object): FieldChanges {
  const changes: FieldChanges = {};
  for (const [field, after] of Object.entries(next)) {
    if (after === undefined) continue;
    const before: unknown = (current as Record<string, unknown>)[field];
    if (!sameValue(before, after)) changes[field] = { before, after };
  }
  return changes;
}

const eventOf = <TAction extends string>(ctx: DomainContext, e: Pick<AuditEvent<TAction>, "entityId" | "action" | "changes" | "version">): AuditEvent<TAction> => ({
  ...e,
  actor: ctx.actor,
  requestId: ctx.requestId,
  idempotencyKey: ctx.idempotencyKey,
  jobId: ctx.jobId,
});

/**
 * One versioned change to one record, in one transaction: existence first (404 beats 409), then
 * the version, then a compare-and-set UPDATE whose row count is the final word, then the audit
 * event; after the transaction, the change is published. `plan` turns the current state into the
 * columns to write, or throws (a DomainError rolls everything back and publishes nothing).
 */
export async function versionedWrite<TTable extends VersionedTable, TState extends { version: number }, TAction extends string>(
  ctx: DomainContext,
  entity: VersionedEntity<TTable, TState, TAction>,
  input: { id: string; precondition: Precondition; action: TAction },
  plan: (current: TState, tx: Db) => Promise<Columns<TTable>> | Columns<TTable>,
): Promise<TState> {
  const { table } = entity;
  const outcome = await ctx.db.transaction(async (tx) => {
    const current = await entity.find(tx, input.id);
    if (!current) throw entity.notFound();
    if (!satisfies(input.precondition, current.version)) throw versionConflict(entity.noun, current, input.precondition);
    // `If-Match: *` writes over whatever version is current now, still compare-and-set against it.
    const expectedVersion = current.version;

    const next = await plan(current, tx);
    const changes = diffColumns(current, next);
    // Nothing would change: no new version, no event (a repeated save is harmless).
    if (Object.keys(changes).length === 0) return { state: current, written: false };

    const updated = await tx
      .update(table)
      .set({ ...next, ...entity.touch?.(), version: sql`${table.version} + 1` } as never)
      .where(and(eq(table.id, input.id), eq(table.version, expectedVersion)))
      .returning({ version: table.version });
    if (updated.length === 0) {
      // Someone committed between our read and our write.
      const now = await entity.find(tx, input.id);
      throw now ? versionConflict(entity.noun, now, input.precondition) : entity.notFound();
    }
    const version = Number(one(updated, `the updated ${entity.noun}`).version);
    await entity.appendEvent(tx, eventOf(ctx, { entityId: input.id, action: input.action, changes, version }));
    const state = await entity.find(tx, input.id);
    if (!state) throw new Error(`${entity.noun} ${input.id} not found in the transaction that wrote it`);
    return { state, written: true };
  });
  if (outcome.written) ctx.publish(entity.channel, ctx.requestId);
  return outcome.state;
}

/**
 * Creates a record at version 1 (the column's default), with its audit event (every field
 * `before: null`) in the same transaction; published after. `plan` returns the values to insert.
 */
export async function versionedCreate<TTable extends VersionedTable, TState extends { version: number }, TAction extends string>(
  ctx: DomainContext,
  entity: VersionedEntity<TTable, TState, TAction>,
  action: TAction,
  plan: (tx: Db) => Promise<TTable["$inferInsert"]> | TTable["$inferInsert"],
): Promise<TState> {
  const { table } = entity;
  const created = await ctx.db.transaction(async (tx) => {
    const values = await plan(tx);
    const inserted = await tx.insert(table).values(values as never).returning({ id: table.id, version: table.version });
    const row = one(inserted as { id: unknown; version: unknown }[], `the created ${entity.noun}`);
    const id = String(row.id);
    const changes: FieldChanges = Object.fromEntries(Object.entries(values as object).map(([field, after]) => [field, { before: null, after }]));
    await entity.appendEvent(tx, eventOf(ctx, { entityId: id, action, changes, version: Number(row.version) }));
    const state = await entity.find(tx, id);
    if (!state) throw new Error(`${entity.noun} ${id} not found in the transaction that created it`);
    return state;
  });
  ctx.publish(entity.channel, ctx.requestId);
  return created;
}

/** One item of a batch: which record, what it must be at, and the audit action of its change. */
export type BatchItem<TAction extends string> = { id: string; action: TAction } & ({ precondition: Precondition } | { expectedVersion: number });

/** What became of one item; `conflict` keeps the other writer's change, `currentVersion` says which. */
export type BatchOutcome =
  | { id: string; outcome: "applied"; version: number }
  | { id: string; outcome: "skipped"; reason: string; version: number }
  | { id: string; outcome: "conflict"; currentVersion: number }
  | { id: string; outcome: "not_found" };

/** A batch's plan: the columns to write for one current row, or why it needs no write. */
export type BatchPlan<TTable extends VersionedTable> = (current: TTable["$inferSelect"]) => Columns<TTable> | { skip: string };

export interface BatchOptions {
  /** Runs in the batch's transaction after its writes, e.g. to record the outcomes; a throw rolls the batch back. */
  inTransaction?: (tx: Db, outcomes: BatchOutcome[]) => Promise<void>;
}

const preconditionOfItem = (item: BatchItem<string>): Precondition =>
  "precondition" in item ? item.precondition : { kind: "version", version: item.expectedVersion, source: "input" };

/**
 * Many versioned changes in ONE transaction, each judged on its own: an item whose record is gone
 * is `not_found`, one whose version moved on is a `conflict` (never overwritten), one the plan
 * says needs nothing (or whose columns would not change) is `skipped`, and the rest are written,
 * each by its own compare-and-set UPDATE (0 rows: someone committed in between, a conflict, not an
 * error). One SELECT reads the batch, the audit events go in together, one publish follows the
 * commit. Outcomes come back in the items' order. `plan` sees the table's row, not the API shape:
 * a batch reads no joins.
 */
export async function versionedWriteBatch<TTable extends VersionedTable, TState extends { version: number }, TAction extends string>(
  ctx: DomainContext,
  entity: VersionedEntity<TTable, TState, TAction>,
  items: BatchItem<TAction>[],
  plan: BatchPlan<TTable>,
  options: BatchOptions = {},
): Promise<BatchOutcome[]> {
  const { table } = entity;
  if (items.length === 0) return [];
  const ids = [...new Set(items.map((i) => i.id))];
  // One judgement per record: a caller that names one twice has a bug (which item should win?).
  if (ids.length !== items.length) throw new Error(`versionedWriteBatch: a ${entity.noun} appears more than once in the batch`);
  const outcomes = await ctx.db.transaction(async (tx) => {
    const rows = (await tx.select().from(table as PgTable).where(inArray(table.id, ids))) as TTable["$inferSelect"][];
    const byId = new Map(rows.map((r) => [String((r as { id: unknown }).id), r as TTable["$inferSelect"] & { version: number }]));
    const outcomes: BatchOutcome[] = [];
    const writes: { index: number; item: BatchItem<TAction>; next: Columns<TTable>; changes: FieldChanges; expected: number }[] = [];
    for (const item of items) {
      const current = byId.get(item.id);
      if (!current) {
        outcomes.push({ id: item.id, outcome: "not_found" });
        continue;
      }
      if (!satisfies(preconditionOfItem(item), current.version)) {
        outcomes.push({ id: item.id, outcome: "conflict", currentVersion: current.version });
        continue;
      }
      const next = plan(current);
      const changes = "skip" in next && typeof next.skip === "string" ? {} : diffColumns(current, next);
      if (Object.keys(changes).length === 0) {
        const reason = "skip" in next && typeof next.skip === "string" ? next.skip : "unchanged";
        outcomes.push({ id: item.id, outcome: "skipped", reason, version: current.version });
        continue;
      }
      writes.push({ index: outcomes.length, item, next: next as Columns<TTable>, changes, expected: current.version });
      outcomes.push({ id: item.id, outcome: "applied", version: current.version + 1 });
    }
    // One prepared compare-and-set per set of columns written (a bulk change has one), executed
    // per item: built once, planned once per connection, and issued together so that on Postgres
    // the driver pipelines them on the transaction's connection (PGlite runs them in turn).
    type CompareAndSet = { execute(values: Record<string, unknown>): Promise<{ version: unknown }[]> };
    const statements = new Map<string, CompareAndSet>();
    // `nulls` are written as literals: a placeholder's value goes through the column's encoder,
    // which (for a timestamp) cannot take null.
    const statementFor = (columns: string[], nulls: string[]): CompareAndSet => {
      const shape = `${columns.join(",")};${nulls.join(",")}`;
      let statement = statements.get(shape);
      if (!statement) {
        const set = Object.fromEntries([...columns.map((c) => [c, sql.placeholder(`set_${c}`)]), ...nulls.map((c) => [c, sql`null`])]);
        statement = tx
          .update(table)
          .set({ ...set, ...entity.touch?.(), version: sql`${table.version} + 1` } as never)
          .where(and(eq(table.id, sql.placeholder("id")), eq(table.version, sql.placeholder("expected"))))
          .returning({ version: table.version })
          .prepare(`vwb_${entity.noun}_${createHash("sha1").update(shape).digest("hex").slice(0, 12)}`) as unknown as CompareAndSet;
        statements.set(shape, statement);
      }
      return statement;
    };
    const updated = await Promise.all(
      writes.map((w) => {
        const next = w.next as Record<string, unknown>;
        const keys = Object.keys(next).sort();
        const columns = keys.filter((c) => next[c] !== undefined && next[c] !== null);
        const values = Object.fromEntries(columns.map((c) => [`set_${c}`, next[c]]));
        return statementFor(
          columns,
          keys.filter((c) => next[c] === null),
        ).execute({ ...values, id: w.item.id, expected: w.expected });
      }),
    );
    const events: AuditEvent<TAction>[] = [];
    const raced: { index: number; id: string }[] = [];
    writes.forEach((w, i) => {
      const row = updated[i]?.[0];
      if (!row) {
        // Someone committed between our read and this write: theirs stands.
        raced.push({ index: w.index, id: w.item.id });
        return;
      }
      const version = Number(row.version);
      outcomes[w.index] = { id: w.item.id, outcome: "applied", version };
      events.push(eventOf(ctx, { entityId: w.item.id, action: w.item.action, changes: w.changes, version }));
    });
    if (raced.length > 0) {
      // Rare: read the versions they committed (or learn the record went away).
      const now = await tx
        .select({ id: table.id, version: table.version })
        .from(table as PgTable)
        .where(inArray(table.id, raced.map((r) => r.id)));
      const versions = new Map(now.map((r) => [String(r.id), Number(r.version)]));
      for (const { index, id } of raced) {
        const v = versions.get(id);
        outcomes[index] = v === undefined ? { id, outcome: "not_found" } : { id, outcome: "conflict", currentVersion: v };
      }
    }
    if (events.length > 0) {
      if (entity.appendEvents) await entity.appendEvents(tx, events);
      else for (const e of events) await entity.appendEvent(tx, e);
    }
    await options.inTransaction?.(tx, outcomes);
    return outcomes;
  });
  if (outcomes.some((o) => o.outcome === "applied")) ctx.publish(entity.channel, ctx.requestId);
  return outcomes;
}
