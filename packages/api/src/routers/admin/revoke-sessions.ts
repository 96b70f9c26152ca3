import { recordAuthEvent } from "../../audit/record.js";
import { revokeSessions as revokeUserSessions } from "../../auth/sessions.js";
import { keyedMutationDoc } from "../../mutation-doc.js";
import { adminWriterProcedure } from "../../procedures.js";
import { revokeSessionsOutput, userIdInput } from "./schemas.js";
import { requireAdminUser } from "./users.js";

/** Signs a user out everywhere at once (their API tokens are untouched). */
export const revokeSessions = adminWriterProcedure
  .meta({
    openapi: { method: "POST", path: "/admin/users/{id}/revoke-sessions", tags: ["admin"], summary: "Sign a user out of every session", ...keyedMutationDoc(false) },
  })
  .input(userIdInput)
  .output(revokeSessionsOutput)
  .mutation(({ ctx, input }) =>
    ctx.db.transaction(async (tx) => {
      const user = await requireAdminUser(tx, input.id);
      const revoked = await revokeUserSessions({ ...ctx, db: tx }, { userId: user.id }, "sessions_revoked");
      await recordAuthEvent(tx, ctx, {
        actorId: ctx.principal.userId,
        action: "sessions_revoked",
        targetType: "user",
        targetId: user.id,
        details: { email: user.email, count: revoked.length },
      });
      return { revoked: revoked.length };
    }),
  );
