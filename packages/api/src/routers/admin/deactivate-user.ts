import { deactivateUser as deactivate, reactivateUser as reactivate } from "../../domain/user/administer.js";
import { keyedMutationDoc } from "../../mutation-doc.js";
import { domainContextOf } from "../../procedure-context.js";
import { adminWriterProcedure } from "../../procedures.js";
import { adminUserSchema, userIdInput } from "./schemas.js";

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
  .mutation(({ ctx, input }) => deactivate(domainContextOf(ctx), input, { clientIp: ctx.clientIp }));

/** Lets a deactivated user sign in again (with their password; old sessions and tokens stay revoked). */
export const reactivateUser = adminWriterProcedure
  .meta({
    openapi: { method: "POST", path: "/admin/users/{id}/reactivate", tags: ["admin"], summary: "Reactivate a deactivated user", ...keyedMutationDoc(false) },
  })
  .input(userIdInput)
  .output(adminUserSchema)
  .mutation(({ ctx, input }) => reactivate(domainContextOf(ctx), input, { clientIp: ctx.clientIp }));
