import { afterCommit } from "../domain/context.js";
import { middleware } from "../trpc.js";

/**
 * Change notifications wait for the commit: this runs outside the transaction the idempotency
 * middleware opens, so what a use case publishes through `ctx.publish` (see
 * procedure-context.ts) is sent once that transaction has committed, and never when the call
 * failed or rolled back. Best effort: feeds also poll, so a lost notification only delays a
 * live update.
 */
export const notifyChanges = middleware(async ({ ctx, next }) => {
  const queued = afterCommit((channel, message) => ctx.kv.publish(channel, message).catch(() => {}));
  const result = await next({ ctx: { publish: queued.publish } });
  if (result.ok) await queued.flush();
  else queued.discard();
  return result;
});
