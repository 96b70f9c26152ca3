import { apiTokens, type Db } from "@trellis/db";
import { and, eq } from "drizzle-orm";
import { recordAuthEvent } from "../../audit/record.js";
import { revokeApiTokens } from "../../auth/sessions.js";
import { DomainError } from "../../errors.js";
import type { ApiToken } from "../../routers/token/schemas.js";
import { actingUserId, type DomainContext } from "../context.js";
import { tokenColumns } from "./rows.js";

/** Revokes one of the acting user's API tokens; it is refused from the next request on, on every instance. */
export async function revokeApiToken(ctx: DomainContext, input: { id: string }, opts: { clientIp?: string } = {}): Promise<ApiToken> {
  const userId = actingUserId(ctx.actor, "revoke an API token");
  return ctx.db.transaction(async (tx) => {
    const revoked = await revokeApiTokens({ db: tx as Db, kv: ctx.kv, services: ctx }, { tokenId: input.id, userId });
    const [row] = await tx
      .select(tokenColumns)
      .from(apiTokens)
      .where(and(eq(apiTokens.id, input.id), eq(apiTokens.userId, userId)));
    // Someone else's token is "not found" too: ids reveal nothing.
    if (!row) throw new DomainError("TOKEN_NOT_FOUND", "No API token of yours has this id");
    if (revoked.length > 0) {
      await recordAuthEvent(tx, { requestId: ctx.requestId, clientIp: opts.clientIp }, {
        actorId: userId,
        action: "token_revoked",
        targetType: "token",
        targetId: row.id,
        details: { name: row.name },
      });
    }
    return row;
  });
}
