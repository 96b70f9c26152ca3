import { adminProcedure } from "../../procedures.js";
import { auditPage } from "./query.js";
import { auditListInput, auditListOutput } from "./schemas.js";

/** The audit log (sign-ins, tokens, user administration and project changes), newest first. Admins only. */
export const list = adminProcedure
  .meta({ openapi: { method: "GET", path: "/audit", tags: ["audit"], summary: "Audit log, newest first (admins only)" } })
  .input(auditListInput)
  .output(auditListOutput)
  .query(({ ctx, input }) => {
    const { limit, cursor, direction: _, ...filter } = input;
    return auditPage(ctx.db, filter, limit, cursor);
  });
