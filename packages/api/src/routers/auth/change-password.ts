import { hashPassword, users, verifyPassword } from "@trellis/db";
import { eq } from "drizzle-orm";
import { recordAuthEvent } from "../../audit/record.js";
import { revokeSessions } from "../../auth/sessions.js";
import { DomainError } from "../../errors.js";
import { keyedMutationDoc } from "../../mutation-doc.js";
import { credentialProcedure } from "../../procedures.js";
import { beginLoginAttempt } from "../../rate-limit/login-throttle.js";
import { changePasswordInput, changePasswordOutput } from "./schemas.js";

/**
 * Changes the signed-in user's password (argon2id) and signs out their other sessions at once;
 * this session stays. API tokens are separate credentials and keep working (revoke them on the
 * tokens page). Wrong current passwords count towards the same throttle as failed sign-ins.
 */
export const changePassword = credentialProcedure
  .meta({
    secretInput: ["currentPassword", "newPassword"],
    openapi: { method: "POST", path: "/auth/password", tags: ["auth"], summary: "Change your password; signs out your other sessions", ...keyedMutationDoc(false) },
  })
  .input(changePasswordInput)
  .output(changePasswordOutput)
  .mutation(async ({ ctx, input }) => {
    const { principal } = ctx;
    const attempt = await beginLoginAttempt(ctx, principal.email);
    const [user] = await ctx.db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, principal.userId)).limit(1);
    if (!user || !(await verifyPassword(user.passwordHash, input.currentPassword))) {
      await attempt.failed();
      throw new DomainError("CURRENT_PASSWORD_INCORRECT", "The current password is incorrect", {
        fieldErrors: { currentPassword: ["The current password is incorrect"] },
      });
    }
    await attempt.succeeded();
    const passwordHash = await hashPassword(input.newPassword);
    return ctx.db.transaction(async (tx) => {
      await tx.update(users).set({ passwordHash, updatedAt: ctx.services.now() }).where(eq(users.id, principal.userId));
      const revoked = await revokeSessions(
        { ...ctx, db: tx },
        { userId: principal.userId, exceptSessionId: principal.sessionId },
        "password_changed",
      );
      await recordAuthEvent(tx, ctx, {
        actorId: principal.userId,
        action: "password_changed",
        targetType: "user",
        targetId: principal.userId,
        details: { sessionsRevoked: revoked.length },
      });
      return { ok: true as const, sessionsRevoked: revoked.length };
    });
  });
