import { type Db, type FieldChanges, one } from "@trellis/db";
import { and, eq, type SQL, sql } from "drizzle-orm";
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
