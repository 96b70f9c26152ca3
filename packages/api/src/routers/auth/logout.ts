import { z } from "zod";
import { SESSION_COOKIE } from "../../auth/session.js";
import { publicProcedure } from "../../procedures.js";

export const logout = publicProcedure
  .meta({ openapi: { method: "POST", path: "/auth/logout", tags: ["auth"], protect: false, summary: "Clear the session cookie" } })
  .input(z.void())
  .output(z.object({ ok: z.literal(true) }))
  .mutation(({ ctx }) => {
    ctx.response.clearCookie(SESSION_COOKIE);
    return { ok: true as const };
  });
