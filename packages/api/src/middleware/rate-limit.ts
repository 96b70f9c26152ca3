import { DomainError } from "../errors.js";
import { subjectOf } from "../rate-limit/tiers.js";
import { middleware } from "../trpc.js";

/**
 * Request budgets. Every call that arrives over HTTP spends points from its subject's budget
 * (per user by role, per API token, per client IP when signed out): a read `readCost`, a write
 * `writeCost`. Out of points → TOO_MANY_REQUESTS (429) with Retry-After. REST responses also
 * carry RateLimit-Limit / -Remaining / -Reset (seconds), on success too.
 *
 * Runs before idempotency, so a refused mutation is never stored: a retry with the same key
 * after the window runs. Server-side calls (surface "internal") are not limited.
 */
export const rateLimit = middleware(async ({ ctx, next, type }) => {
  const settings = ctx.services.rateLimits;
  if (!settings.enabled || ctx.surface === "internal") return next();

  const { tier, key } = subjectOf(ctx.principal, ctx.clientIp);
  const limiter = ctx.kv.rateLimiter({ name: `rate:${tier}`, points: settings.points[tier], durationSeconds: settings.windowSeconds });
  let state: Awaited<ReturnType<typeof limiter.consume>>;
  try {
    state = await limiter.consume(key, type === "mutation" ? settings.writeCost : settings.readCost);
  } catch (err) {
    // The Redis limiter falls back to memory by itself; anything else must not take the API down.
    ctx.services.log.warn({ err: err instanceof Error ? err.message : String(err), tier }, "rate limiter unavailable; request allowed");
    return next();
  }

  const resetSeconds = Math.ceil(state.resetMs / 1000);
  if (ctx.surface === "rest") {
    ctx.response.setHeader("RateLimit-Limit", String(state.limit));
    ctx.response.setHeader("RateLimit-Remaining", String(state.remaining));
    ctx.response.setHeader("RateLimit-Reset", String(resetSeconds));
  }
  if (!state.allowed) {
    const retryAfterSeconds = Math.max(1, resetSeconds);
    ctx.response.setHeader("Retry-After", String(retryAfterSeconds));
    throw new DomainError("RATE_LIMITED", `Too many requests; retry in ${retryAfterSeconds} s`, { retryAfterSeconds });
  }
  return next();
});
