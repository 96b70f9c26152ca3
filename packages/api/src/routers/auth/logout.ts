import { z } from "zod";
import { recordAuthEvent } from "../../audit/record.js";
import { SESSION_COOKIE } from "../../auth/session.js";
import { revokeSessions } from "../../auth/sessions.js";
import { publicProcedure } from "../../procedures.js";

export const logout = publicProcedure
  .meta({ openapi: { method: "POST", path: "/auth/logout", tags: ["auth"], protect: false, summary: "End this session (revoked at once) and clear the session cookie" } })
  .input(z.void())
  .output(z.object({ ok: z.literal(true) }))
  .mutation(async ({ ctx }) => {
    const p = ctx.principal;
    if (p?.kind === "session" && p.sessionId) {
      const sessionId = p.sessionId;
      await ctx.db.transaction(async (tx) => {
        const revoked = await revokeSessions({ ...ctx, db: tx }, { sessionId }, "logout");
        if (revoked.length > 0) await recordAuthEvent(tx, ctx, { actorId: p.userId, action: "logout", targetType: "session", targetId: sessionId });
      });
    }
    ctx.response.clearCookie(SESSION_COOKIE);
    return { ok: true as const };
  });
