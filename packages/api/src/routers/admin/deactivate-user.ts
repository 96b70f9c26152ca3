import { users } from "@trellis/db";
import { eq } from "drizzle-orm";
import { recordAuthEvent } from "../../audit/record.js";
import { revokeApiTokens, revokeSessions } from "../../auth/sessions.js";
import { keyedMutationDoc } from "../../mutation-doc.js";
import { adminWriterProcedure } from "../../procedures.js";
import { adminUserSchema, userIdInput } from "./schemas.js";
import { assertAnotherActiveAdmin, lockUserAdministration, requireAdminUser } from "./users.js";

/**
 * Deactivates a user: they cannot sign in, and their sessions and API tokens are revoked at once
 * (tokens stay revoked after a reactivation). Deactivating a deactivated user changes nothing.
 */
export const deactivateUser = adminWriterProcedure
  .meta({
    openapi: { method: "POST", path: "/admin/users/{id}/deactivate", tags: ["admin"], summary: "Deactivate a user (ends their sessions and tokens)", ...keyedMutationDoc(false) },
  })
  .input(userIdInput)
  .output(adminUserSchema)
  .mutation(({ ctx, input }) =>
    ctx.db.transaction(async (tx) => {
      await lockUserAdministration(tx);
      const user = await requireAdminUser(tx, input.id);
      if (user.deactivatedAt) return user;
      if (user.role === "admin") await assertAnotherActiveAdmin(tx, user.id);
      const now = ctx.services.now();
      await tx.update(users).set({ deactivatedAt: now, updatedAt: now }).where(eq(users.id, user.id));
      const deps = { ...ctx, db: tx };
      const sessionsRevoked = await revokeSessions(deps, { userId: user.id }, "user_deactivated");
      const tokensRevoked = await revokeApiTokens(deps, { userId: user.id });
      await recordAuthEvent(tx, ctx, {
        actorId: ctx.principal.userId,
        action: "user_deactivated",
        targetType: "user",
        targetId: user.id,
        details: { email: user.email, sessionsRevoked: sessionsRevoked.length, tokensRevoked: tokensRevoked.length },
      });
      return requireAdminUser(tx, user.id);
    }),
  );

/** Lets a deactivated user sign in again (with their password; old sessions and tokens stay revoked). */
export const reactivateUser = adminWriterProcedure
  .meta({
    openapi: { method: "POST", path: "/admin/users/{id}/reactivate", tags: ["admin"], summary: "Reactivate a deactivated user", ...keyedMutationDoc(false) },
  })
  .input(userIdInput)
  .output(adminUserSchema)
  .mutation(({ ctx, input }) =>
    ctx.db.transaction(async (tx) => {
      await lockUserAdministration(tx);
      const user = await requireAdminUser(tx, input.id);
      if (!user.deactivatedAt) return user;
      await tx.update(users).set({ deactivatedAt: null, updatedAt: ctx.services.now() }).where(eq(users.id, user.id));
      await recordAuthEvent(tx, ctx, {
        actorId: ctx.principal.userId,
        action: "user_reactivated",
        targetType: "user",
        targetId: user.id,
        details: { email: user.email },
      });
      return requireAdminUser(tx, user.id);
    }),
  );
