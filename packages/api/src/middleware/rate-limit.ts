import type { RateLimitState } from "@trellis/kv";
import { DomainError } from "../errors.js";
import { subjectsOf } from "../rate-limit/tiers.js";
import { middleware } from "../trpc.js";

/**
 * Request budgets. Every call that arrives over HTTP spends points from its subjects' budgets
 * (per user by role; an API token's own and its user's; per client IP when signed out): a read
 * `readCost`, a write `writeCost`. Out of points → TOO_MANY_REQUESTS (429) with Retry-After. REST responses also
 * carry RateLimit-Limit / -Remaining / -Reset (seconds), on success too.
 *
 * Runs before idempotency, so a refused mutation is never stored: a retry with the same key
 * after the window runs. Server-side calls (surface "internal") are not limited.
 */
export const rateLimit = middleware(async ({ ctx, next, type }) => {
  const settings = ctx.services.rateLimits;
  if (!settings.enabled || ctx.surface === "internal") return next();

  const cost = type === "mutation" ? settings.writeCost : settings.readCost;
  const subjects = subjectsOf(ctx.principal, ctx.clientIp);
  let states: RateLimitState[];
  try {
    states = await Promise.all(
      subjects.map(({ tier, key }) =>
        ctx.kv.rateLimiter({ name: `rate:${tier}`, points: settings.points[tier], durationSeconds: settings.windowSeconds }).consume(key, cost),
      ),
    );
  } catch (err) {
    // The Redis limiter falls back to memory by itself; anything else must not take the API down.
    ctx.services.log.warn({ err: err instanceof Error ? err.message : String(err), tiers: subjects.map((s) => s.tier) }, "rate limiter unavailable; request allowed");
    return next();
  }

  // The headers describe the budget that runs out first (a token's own, or its user's).
  const refused = states.filter((s) => !s.allowed);
  const binding = [...(refused.length ? refused : states)].sort((a, b) => a.remaining - b.remaining || b.resetMs - a.resetMs)[0];
  if (!binding) return next();
  const resetSeconds = Math.ceil(Math.max(...(refused.length ? refused : [binding]).map((s) => s.resetMs)) / 1000);
  if (ctx.surface === "rest") {
    ctx.response.setHeader("RateLimit-Limit", String(binding.limit));
    ctx.response.setHeader("RateLimit-Remaining", String(binding.remaining));
    ctx.response.setHeader("RateLimit-Reset", String(resetSeconds));
  }
  if (refused.length) {
    const retryAfterSeconds = Math.max(1, resetSeconds);
    ctx.response.setHeader("Retry-After", String(retryAfterSeconds));
    throw new DomainError("RATE_LIMITED", `Too many requests; retry in ${retryAfterSeconds} s`, { retryAfterSeconds });
  }
  return next();
});
