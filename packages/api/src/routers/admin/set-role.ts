import { setUserRole } from "../../domain/user/administer.js";
import { keyedMutationDoc } from "../../mutation-doc.js";
import { domainContextOf } from "../../procedure-context.js";
import { adminWriterProcedure } from "../../procedures.js";
import { adminUserSchema, setRoleInput } from "./schemas.js";

/** Changes a user's role; it applies to their sessions and tokens from the next request on. */
export const setRole = adminWriterProcedure
  .meta({
    openapi: { method: "POST", path: "/admin/users/{id}/role", tags: ["admin"], summary: "Change a user's role", ...keyedMutationDoc(false) },
  })
  .input(setRoleInput)
  .output(adminUserSchema)
  .mutation(({ ctx, input }) => setUserRole(domainContextOf(ctx), input, { clientIp: ctx.clientIp }));
