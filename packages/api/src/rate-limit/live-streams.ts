import { randomUUID } from "node:crypto";
import type { Principal } from "../auth/session.js";
import type { Context } from "../context.js";
import { DomainError } from "../errors.js";

// Far longer than a stream's 5 s wake-up (each wake renews), short enough that the places of a
// crashed instance's streams free themselves within it.
const LEASE_MS = 30_000;
const RENEW_EVERY_MS = LEASE_MS / 3;
const INSTANCE_SET = "live-streams";

export interface LiveStreamSlot {
  /** Keeps the places; cheap to call on every wake-up (renews at most every 10 s). */
  renew(): Promise<void>;
  release(): Promise<void>;
}

/**
 * A place for one live-update stream, within the caps of Services.limits: per user over all
 * their sessions and tokens (in the shared kv, so across instances) and per instance (in
 * process memory). Beyond either: STREAM_LIMIT_REACHED (429). Each open stream polls the
 * database and is exempt from the request timeout, so without a cap one caller could hold
 * hundreds. If the shared kv is unreachable, only the per-instance cap applies.
 */
export async function holdLiveStream(ctx: Pick<Context, "kv" | "services">, principal: Principal): Promise<LiveStreamSlot> {
  const { limits, instanceSlots, log } = ctx.services;
  const holder = randomUUID();
  const userSet = `live-streams:user:${principal.userId}`;
  const takeUserPlace = async () => {
    try {
      return await ctx.kv.acquireSlot(userSet, holder, limits.liveStreamsPerUser, LEASE_MS);
    } catch (err) {
      log.warn({ err: err instanceof Error ? err.message : String(err) }, "live-stream cap per user unavailable; only the per-instance cap applies");
      return true;
    }
  };

  if (!(await instanceSlots.acquireSlot(INSTANCE_SET, holder, limits.liveStreamsPerInstance, LEASE_MS))) {
    throw new DomainError("STREAM_LIMIT_REACHED", "This server has as many live-update streams open as it allows; retry shortly", {
      limit: limits.liveStreamsPerInstance,
      retryAfterSeconds: 5,
    });
  }
  if (!(await takeUserPlace())) {
    await instanceSlots.releaseSlot(INSTANCE_SET, holder);
    throw new DomainError(
      "STREAM_LIMIT_REACHED",
      `You already have ${limits.liveStreamsPerUser} live-update streams open, the most one user may have; close a tab or script that listens`,
      { limit: limits.liveStreamsPerUser },
    );
  }

  let renewedAt = Date.now();
  return {
    async renew() {
      if (Date.now() - renewedAt < RENEW_EVERY_MS) return;
      renewedAt = Date.now();
      // A stream that holds a place keeps it, even past a cap lowered meanwhile.
      await instanceSlots.acquireSlot(INSTANCE_SET, holder, Number.MAX_SAFE_INTEGER, LEASE_MS);
      try {
        await ctx.kv.acquireSlot(userSet, holder, Number.MAX_SAFE_INTEGER, LEASE_MS);
      } catch {
        // Unreachable kv: the lease lapses, and the stream goes on (see above).
      }
    },
    async release() {
      await instanceSlots.releaseSlot(INSTANCE_SET, holder);
      await ctx.kv.releaseSlot(userSet, holder).catch(() => {});
    },
  };
}
