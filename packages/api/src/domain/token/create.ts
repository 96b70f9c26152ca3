import { apiTokens, one } from "@trellis/db";
import { and, count, eq, gt, isNull, sql } from "drizzle-orm";
import type { z } from "zod";
import { recordAuthEvent } from "../../audit/record.js";
import { generateApiToken } from "../../auth/api-token.js";
import { DomainError } from "../../errors.js";
import type { createTokenInput, createTokenOutput } from "../../routers/token/schemas.js";
import { actingUserId, type DomainContext } from "../context.js";
import { tokenColumns } from "./rows.js";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Creates a personal API token for the acting user, within `limit` live tokens per user. The
 * secret is in the answer only; the database keeps its SHA-256.
 */
export async function createApiToken(
  ctx: DomainContext,
  input: z.output<typeof createTokenInput>,
  opts: { limit: number; clientIp?: string },
): Promise<z.output<typeof createTokenOutput>> {
  const { token, hash, prefix } = generateApiToken();
  const now = ctx.now();
  const userId = actingUserId(ctx.actor, "create an API token");
  const cap = opts.limit;
  return ctx.db.transaction(async (tx) => {
    // One creation at a time per user, so two parallel requests cannot both take the last place.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`api-tokens:${userId}`}, 0))`);
    const [live] = await tx
      .select({ n: count() })
      .from(apiTokens)
      .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt), gt(apiTokens.expiresAt, now)));
    if (Number(live?.n ?? 0) >= cap) {
      throw new DomainError(
        "TOKEN_LIMIT_REACHED",
        `You already have ${cap} active API tokens, the most one user may have; revoke one you no longer use first`,
        { limit: cap },
      );
    }
    const row = await tx
      .insert(apiTokens)
      .values({
        userId,
        name: input.name,
        tokenHash: hash,
        prefix,
        scope: input.scope,
        createdAt: now,
        expiresAt: new Date(now.getTime() + input.expiresInDays * DAY_MS),
      })
      .returning(tokenColumns)
      .then((rows) => one(rows, "the new API token"));
    await recordAuthEvent(tx, { requestId: ctx.requestId, clientIp: opts.clientIp }, {
      actorId: userId,
      action: "token_created",
      targetType: "token",
      targetId: row.id,
      details: { name: row.name, scope: row.scope, expiresAt: row.expiresAt.toISOString() },
    });
    return { ...row, token };
  });
}
