import { type Db, type IdempotencyRecordRow, idempotencyRecords } from "@trellis/db";
import { and, eq, sql } from "drizzle-orm";

export interface Scope {
  principalId: string;
  path: string;
  key: string;
}

export type StoredOutcome = Pick<IdempotencyRecordRow, "fingerprint" | "outcome" | "body" | "httpStatus" | "requestId"> & {
  expiresAt: Date;
};

const scopeWhere = (s: Scope) =>
  and(eq(idempotencyRecords.principalId, s.principalId), eq(idempotencyRecords.path, s.path), eq(idempotencyRecords.key, s.key));

/**
 * Serializes attempts on one scope across every instance sharing the database. A transaction-level
 * advisory lock is released by Postgres when the transaction ends or its connection dies, so a
 * crashed attempt never wedges a key. Waits at most `waitMs`, then fails with lock_not_available.
 */
export async function lockScope(tx: Db, scope: Scope, waitMs: number): Promise<void> {
  await tx.execute(sql.raw(`set local lock_timeout = ${Math.max(1, Math.floor(waitMs))}`));
  const name = JSON.stringify([scope.principalId, scope.path, scope.key]);
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${name}, 0))`);
}

/** The live record for a scope, without locking (a read for duplicates waiting on another attempt). */
export async function findLiveRecord(db: Db, scope: Scope, now: Date): Promise<StoredOutcome | undefined> {
  const [row] = await db.select().from(idempotencyRecords).where(scopeWhere(scope)).limit(1);
  return row && row.expiresAt.getTime() > now.getTime() ? row : undefined;
}

/** The live record for a scope, under the scope lock; an expired one is deleted so the key runs as new. */
export async function takeLiveRecord(tx: Db, scope: Scope, now: Date): Promise<StoredOutcome | undefined> {
  const [row] = await tx.select().from(idempotencyRecords).where(scopeWhere(scope)).limit(1);
  if (!row) return undefined;
  if (row.expiresAt.getTime() <= now.getTime()) {
    await tx.delete(idempotencyRecords).where(scopeWhere(scope));
    return undefined;
  }
  return row;
}

export async function insertRecord(tx: Db, scope: Scope, outcome: StoredOutcome, now: Date): Promise<void> {
  await tx.insert(idempotencyRecords).values({ ...scope, ...outcome, createdAt: now });
}

/** Deletes expired records in batches (short transactions, no long lock); returns how many went. */
export async function sweepExpired(db: Db, now: Date, batchSize = 1_000): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await db
      .delete(idempotencyRecords)
      .where(
        sql`ctid in (select ctid from ${idempotencyRecords} where ${idempotencyRecords.expiresAt} < ${now.toISOString()}::timestamptz limit ${batchSize})`,
      )
      .returning({ key: idempotencyRecords.key });
    total += deleted.length;
    if (deleted.length < batchSize) return total;
  }
}
