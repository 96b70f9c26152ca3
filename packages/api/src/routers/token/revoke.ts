import { apiTokens } from "@trellis/db";
import { and, eq } from "drizzle-orm";
import { recordAuthEvent } from "../../audit/record.js";
import { revokeApiTokens } from "../../auth/sessions.js";
import { DomainError } from "../../errors.js";
import { keyedMutationDoc } from "../../mutation-doc.js";
import { credentialProcedure } from "../../procedures.js";
import { tokenColumns } from "./rows.js";
import { apiTokenSchema, tokenIdInput } from "./schemas.js";

/** Revokes one of your API tokens; it is refused from the next request on, on every instance. */
export const revoke = credentialProcedure
  .meta({
    openapi: { method: "POST", path: "/tokens/{id}/revoke", tags: ["tokens"], summary: "Revoke one of your API tokens", ...keyedMutationDoc(false) },
  })
  .input(tokenIdInput)
  .output(apiTokenSchema)
  .mutation(async ({ ctx, input }) => {
    const userId = ctx.principal.userId;
    return ctx.db.transaction(async (tx) => {
      const revoked = await revokeApiTokens({ ...ctx, db: tx }, { tokenId: input.id, userId });
      const [row] = await tx
        .select(tokenColumns)
        .from(apiTokens)
        .where(and(eq(apiTokens.id, input.id), eq(apiTokens.userId, userId)));
      // Someone else's token is "not found" too: ids reveal nothing.
      if (!row) throw new DomainError("TOKEN_NOT_FOUND", "No API token of yours has this id");
      if (revoked.length > 0) {
        await recordAuthEvent(tx, ctx, { actorId: userId, action: "token_revoked", targetType: "token", targetId: row.id, details: { name: row.name } });
      }
      return row;
    });
  });
