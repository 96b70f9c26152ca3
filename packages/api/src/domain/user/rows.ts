import { type Db, users } from "@trellis/db";
import { and, eq, isNull, ne, sql } from "drizzle-orm";
import { DomainError } from "../../errors.js";
import type { AdminUser } from "../../routers/admin/schemas.js";

// Arbitrary constant: every change to users by an admin takes it, so "is anyone else still an
// admin?" and the change that depends on the answer cannot interleave with another admin's.
const USER_ADMIN_LOCK = 7_304_213;

// Written out: drizzle would print the inner columns unqualified, and "id" would bind to sessions.
const lastSeen = sql<Date | null>`(select max(s.last_seen_at) from sessions s where s.user_id = "users"."id")`.mapWith((v: unknown) =>
  v === null || v === undefined ? null : new Date(v as string),
);

export const adminUserColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  createdAt: users.createdAt,
  deactivatedAt: users.deactivatedAt,
  lastSeenAt: lastSeen,
};

export async function findAdminUser(db: Db, id: string): Promise<AdminUser | undefined> {
  const [row] = await db.select(adminUserColumns).from(users).where(eq(users.id, id)).limit(1);
  return row;
}

/** Serializes admin changes to users (call first thing inside the transaction). */
export async function lockUserAdministration(tx: Db): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${USER_ADMIN_LOCK})`);
}

/** The user, or USER_NOT_FOUND. */
export async function requireAdminUser(db: Db, id: string): Promise<AdminUser> {
  const user = await findAdminUser(db, id);
  if (!user) throw new DomainError("USER_NOT_FOUND", "No user with this id");
  return user;
}

/** Refuses a change that would leave no active admin (demoting or deactivating the last one). */
export async function assertAnotherActiveAdmin(tx: Db, userId: string): Promise<void> {
  const [other] = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, "admin"), isNull(users.deactivatedAt), ne(users.id, userId)))
    .limit(1);
  if (!other) {
    throw new DomainError("LAST_ADMIN", "This is the last active admin: make someone else an admin first");
  }
}
