import { revokeUserSessions } from "../../domain/user/administer.js";
import { keyedMutationDoc } from "../../mutation-doc.js";
import { domainContextOf } from "../../procedure-context.js";
import { adminWriterProcedure } from "../../procedures.js";
import { revokeSessionsOutput, userIdInput } from "./schemas.js";

/** Signs a user out everywhere at once (their API tokens are untouched). */
export const revokeSessions = adminWriterProcedure
  .meta({
    openapi: { method: "POST", path: "/admin/users/{id}/revoke-sessions", tags: ["admin"], summary: "Sign a user out of every session", ...keyedMutationDoc(false) },
  })
  .input(userIdInput)
  .output(revokeSessionsOutput)
  .mutation(({ ctx, input }) => revokeUserSessions(domainContextOf(ctx), input, { clientIp: ctx.clientIp }));
