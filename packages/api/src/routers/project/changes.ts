import { tracked } from "@trpc/server";
import { z } from "zod";
import { principalStillValid } from "../../auth/authenticate.js";
import { DomainError } from "../../errors.js";
import { authedProcedure } from "../../procedures.js";
import { holdLiveStream, type LiveStreamSlot } from "../../rate-limit/live-streams.js";
import { CHANGES_CHANNEL } from "../../domain/project/entity.js";
import { createWaker, eventsAfter, latestEventId } from "./feed.js";

const PAGE = 200;
const POLL_MS = 5_000;

/**
 * Live project changes (created, updated, archived, restored, reverted) over SSE, in commit order.
 * The first message (`type: "ready"`) marks where the stream starts; each change (`type: "change"`)
 * is `tracked` by its event id, so a client that reconnects sends the last id it saw
 * (`lastEventId`) and first receives everything it missed, from the audit log itself.
 */
export const changes = authedProcedure
  .input(z.strictObject({ lastEventId: z.string().regex(/^\d{1,18}$/, "An event id").nullish() }).optional())
  .subscription(async function* ({ ctx, input, signal: clientGone }) {
    const signal = clientGone ? AbortSignal.any([clientGone, ctx.services.shutdown]) : ctx.services.shutdown;
    const waker = createWaker(POLL_MS, signal);
    const unsubscribe = await ctx.kv.subscribe(CHANGES_CHANNEL, waker.nudge).catch(() => async () => {});
    let slot: LiveStreamSlot | undefined;
    try {
      let cursor = input?.lastEventId ? Number(input.lastEventId) : await latestEventId(ctx.db);
      // Within the caps on open streams (per user, per instance), or STREAM_LIMIT_REACHED.
      slot = await holdLiveStream(ctx, ctx.principal);
      // First, where this stream starts: from here on nothing is missed, and a reconnect resumes here.
      yield tracked(String(cursor), { type: "ready" as const, lastEventId: String(cursor) });
      while (!signal?.aborted) {
        // The stream was authorized when it opened; a logout or revocation since ends it too.
        if (!(await principalStillValid(ctx, ctx.principal))) throw new DomainError("SIGNED_OUT", "Your session has ended; sign in again");
        await slot.renew();
        const batch = await eventsAfter(ctx.db, cursor, PAGE);
        for (const event of batch) {
          cursor = event.eventId;
          yield tracked(String(event.eventId), { type: "change" as const, ...event });
        }
        if (batch.length < PAGE) await waker.wait();
      }
    } finally {
      await unsubscribe();
      await slot?.release();
    }
  });
