import { CHANGES_CHANNEL } from "../routers/project/feed.js";
import { middleware } from "../trpc.js";

/**
 * After a write has committed (this runs outside the transaction the idempotency middleware
 * opens), nudge every instance's change feed. Best effort: feeds also poll, so a lost nudge
 * only delays a live update.
 */
export const notifyChanges = middleware(async ({ ctx, next }) => {
  const result = await next();
  if (result.ok) await ctx.kv.publish(CHANGES_CHANNEL, ctx.requestId).catch(() => {});
  return result;
});
