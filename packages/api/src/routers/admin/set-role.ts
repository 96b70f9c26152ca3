import { users } from "@trellis/db";
import { eq } from "drizzle-orm";
import { recordAuthEvent } from "../../audit/record.js";
import { invalidateUserCredentials } from "../../auth/sessions.js";
import { keyedMutationDoc } from "../../mutation-doc.js";
import { adminWriterProcedure } from "../../procedures.js";
import { adminUserSchema, setRoleInput } from "./schemas.js";
import { assertAnotherActiveAdmin, lockUserAdministration, requireAdminUser } from "./users.js";

/** Changes a user's role; it applies to their sessions and tokens from the next request on. */
export const setRole = adminWriterProcedure
  .meta({
    openapi: { method: "POST", path: "/admin/users/{id}/role", tags: ["admin"], summary: "Change a user's role", ...keyedMutationDoc(false) },
  })
  .input(setRoleInput)
  .output(adminUserSchema)
  .mutation(({ ctx, input }) =>
    ctx.db.transaction(async (tx) => {
      await lockUserAdministration(tx);
      const user = await requireAdminUser(tx, input.id);
      if (user.role === input.role) return user;
      if (user.role === "admin" && !user.deactivatedAt) await assertAnotherActiveAdmin(tx, user.id);
      await tx.update(users).set({ role: input.role, updatedAt: ctx.services.now() }).where(eq(users.id, user.id));
      await invalidateUserCredentials({ ...ctx, db: tx }, user.id);
      await recordAuthEvent(tx, ctx, {
        actorId: ctx.principal.userId,
        action: "role_changed",
        targetType: "user",
        targetId: user.id,
        details: { email: user.email, from: user.role, to: input.role },
      });
      return requireAdminUser(tx, user.id);
    }),
  );
