import { inviteUser as invite } from "../../domain/user/invite.js";
import { keyedMutationDoc } from "../../mutation-doc.js";
import { domainContextOf } from "../../procedure-context.js";
import { adminWriterProcedure } from "../../procedures.js";
import { inviteUserInput, inviteUserOutput } from "./schemas.js";

/**
 * Adds a user with a random temporary password, returned this once (no email is sent: the admin
 * passes it on). The user signs in with it and changes it under "Change password".
 */
export const inviteUser = adminWriterProcedure
  .meta({
    secretOutput: ["temporaryPassword"],
    openapi: { method: "POST", path: "/admin/users", tags: ["admin"], summary: "Invite a user (returns a temporary password once)", ...keyedMutationDoc(false) },
  })
  .input(inviteUserInput)
  .output(inviteUserOutput)
  .mutation(({ ctx, input }) => invite(domainContextOf(ctx), input, { clientIp: ctx.clientIp }));
