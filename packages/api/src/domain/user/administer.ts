import { type Db, users } from "@trellis/db";
import type { UserRole } from "@trellis/db/constants";
import { eq } from "drizzle-orm";
import { recordAuthEvent } from "../../audit/record.js";
import { invalidateUserCredentials, revokeApiTokens, revokeSessions } from "../../auth/sessions.js";
import type { AdminUser } from "../../routers/admin/schemas.js";
import { auditUserId, type DomainContext } from "../context.js";
import { assertAnotherActiveAdmin, lockUserAdministration, requireAdminUser } from "./rows.js";

// User administration. Who may do it is the caller's to check (the admin procedures, or a job an
// admin started); the actor (or the user a system actor acts for) is recorded on each auth event.

/** Where the request came from, when there was one (auth_events.ip). */
export interface AuditOrigin {
  clientIp?: string;
}

const depsOf = (ctx: DomainContext, tx: Db) => ({ db: tx, kv: ctx.kv, services: ctx });
const audit = (ctx: DomainContext, origin: AuditOrigin) => ({ requestId: ctx.requestId, clientIp: origin.clientIp });

/** Changes a user's role; it applies to their sessions and tokens from the next request on. */
export async function setUserRole(ctx: DomainContext, input: { id: string; role: UserRole }, origin: AuditOrigin = {}): Promise<AdminUser> {
  return ctx.db.transaction(async (tx) => {
    await lockUserAdministration(tx);
    const user = await requireAdminUser(tx, input.id);
    if (user.role === input.role) return user;
    if (user.role === "admin" && !user.deactivatedAt) await assertAnotherActiveAdmin(tx, user.id);
    await tx.update(users).set({ role: input.role, updatedAt: ctx.now() }).where(eq(users.id, user.id));
    await invalidateUserCredentials(depsOf(ctx, tx), user.id);
    await recordAuthEvent(tx, audit(ctx, origin), {
      actorId: auditUserId(ctx.actor),
      action: "role_changed",
      targetType: "user",
      targetId: user.id,
      details: { email: user.email, from: user.role, to: input.role },
    });
    return requireAdminUser(tx, user.id);
  });
}

/**
 * Deactivates a user: they cannot sign in, and their sessions and API tokens are revoked at once
 * (tokens stay revoked after a reactivation). Deactivating a deactivated user changes nothing.
 */
export async function deactivateUser(ctx: DomainContext, input: { id: string }, origin: AuditOrigin = {}): Promise<AdminUser> {
  return ctx.db.transaction(async (tx) => {
    await lockUserAdministration(tx);
    const user = await requireAdminUser(tx, input.id);
    if (user.deactivatedAt) return user;
    if (user.role === "admin") await assertAnotherActiveAdmin(tx, user.id);
    const now = ctx.now();
    await tx.update(users).set({ deactivatedAt: now, updatedAt: now }).where(eq(users.id, user.id));
    const sessionsRevoked = await revokeSessions(depsOf(ctx, tx), { userId: user.id }, "user_deactivated");
    const tokensRevoked = await revokeApiTokens(depsOf(ctx, tx), { userId: user.id });
    await recordAuthEvent(tx, audit(ctx, origin), {
      actorId: auditUserId(ctx.actor),
      action: "user_deactivated",
      targetType: "user",
      targetId: user.id,
      details: { email: user.email, sessionsRevoked: sessionsRevoked.length, tokensRevoked: tokensRevoked.length },
    });
    return requireAdminUser(tx, user.id);
  });
}

/** Lets a deactivated user sign in again (with their password; old sessions and tokens stay revoked). */
export async function reactivateUser(ctx: DomainContext, input: { id: string }, origin: AuditOrigin = {}): Promise<AdminUser> {
  return ctx.db.transaction(async (tx) => {
    await lockUserAdministration(tx);
    const user = await requireAdminUser(tx, input.id);
    if (!user.deactivatedAt) return user;
    await tx.update(users).set({ deactivatedAt: null, updatedAt: ctx.now() }).where(eq(users.id, user.id));
    await recordAuthEvent(tx, audit(ctx, origin), {
      actorId: auditUserId(ctx.actor),
      action: "user_reactivated",
      targetType: "user",
      targetId: user.id,
      details: { email: user.email },
    });
    return requireAdminUser(tx, user.id);
  });
}

/** Signs a user out everywhere at once (their API tokens are untouched). */
export async function revokeUserSessions(ctx: DomainContext, input: { id: string }, origin: AuditOrigin = {}): Promise<{ revoked: number }> {
  return ctx.db.transaction(async (tx) => {
    const user = await requireAdminUser(tx, input.id);
    const revoked = await revokeSessions(depsOf(ctx, tx), { userId: user.id }, "sessions_revoked");
    await recordAuthEvent(tx, audit(ctx, origin), {
      actorId: auditUserId(ctx.actor),
      action: "sessions_revoked",
      targetType: "user",
      targetId: user.id,
      details: { email: user.email, count: revoked.length },
    });
    return { revoked: revoked.length };
  });
}
