import { createHash } from "node:crypto";
import { tracked } from "@trpc/server";
import { principalStillValid } from "../../auth/authenticate.js";
import { findVisibleJob } from "../../domain/job/view.js";
import { DomainError } from "../../errors.js";
import { authedProcedure } from "../../procedures.js";
import { holdLiveStream, type LiveStreamSlot } from "../../rate-limit/live-streams.js";
import { createWaker } from "../project/feed.js";
import { readerOf } from "./doc.js";
import { jobProgressInput, type JobView } from "./schemas.js";

// The engine does not publish, so the stream polls the row (a primary-key read): 4 times a second
// matches how often the engine writes progress at most.
const POLL_MS = 250;
// A logout or revocation ends the stream within this, without a credential check per poll.
const PRINCIPAL_CHECK_MS = 5_000;

const finished: ReadonlySet<JobView["state"]> = new Set(["succeeded", "failed", "cancelled"]);

interface EventPosition {
  ms: number;
  tiebreak: number;
  digest: string;
}

/** What a progress event shows: a new event is sent when, and only when, this changes. */
function digestOf(job: JobView): string {
  const shown = [job.state, job.progress, job.attempts, job.cancelRequested];
  return createHash("sha256").update(JSON.stringify(shown)).digest("hex").slice(0, 8);
}

const formatId = (p: EventPosition) => `${p.ms}-${p.tiebreak}-${p.digest}`;

/** The input schema (jobProgressEventId) has checked the shape. */
function parseId(id: string): EventPosition {
  const [ms = "0", tiebreak = "0", digest = ""] = id.split("-");
  return { ms: Number(ms), tiebreak: Number(tiebreak), digest };
}

/**
 * The position of an event showing `job`, after `last`: its updatedAt, or — when that does not
 * move past the last event (two writes in one millisecond, clocks of several writers) — the last
 * event's time with the tiebreak counted up, so ids strictly increase.
 */
export function nextPosition(job: JobView, digest: string, last: EventPosition | undefined): EventPosition {
  const ms = job.updatedAt.getTime();
  if (!last || ms > last.ms) return { ms, tiebreak: 0, digest };
  return { ms: last.ms, tiebreak: last.tiebreak + 1, digest };
}

/**
 * A job's progress over SSE: the job view now, then again whenever its state, progress, attempts
 * or cancel request change, ending after the final state. Each event is tracked by an id that
 * strictly increases; a client that reconnects with the last id it saw (lastEventId) gets only
 * what changed since — nothing, if nothing did — and a finished job's stream then just ends.
 */
export const progress = authedProcedure.input(jobProgressInput).subscription(async function* ({ ctx, input, signal: clientGone }) {
  const signal = clientGone ? AbortSignal.any([clientGone, ctx.services.shutdown]) : ctx.services.shutdown;
  const reader = readerOf(ctx);
  // Unknown or someone else's job: 404 before any place is taken.
  let job = await findVisibleJob(ctx.db, reader.actor, input.id);
  const waker = createWaker(POLL_MS, signal);
  let slot: LiveStreamSlot | undefined;
  try {
    slot = await holdLiveStream(ctx, ctx.principal);
    let last = input.lastEventId ? parseId(input.lastEventId) : undefined;
    let checkedAt = Date.now();
    while (!signal.aborted) {
      const digest = digestOf(job);
      if (digest !== last?.digest) {
        last = nextPosition(job, digest, last);
        yield tracked(formatId(last), job);
      }
      if (finished.has(job.state)) return;
      await waker.wait();
      if (signal.aborted) return;
      if (Date.now() - checkedAt >= PRINCIPAL_CHECK_MS) {
        checkedAt = Date.now();
        // The stream was authorized when it opened; a logout or revocation since ends it too.
        if (!(await principalStillValid(ctx, ctx.principal))) throw new DomainError("SIGNED_OUT", "Your session has ended; sign in again");
      }
      await slot.renew();
      job = await findVisibleJob(ctx.db, reader.actor, input.id);
    }
  } finally {
    await slot?.release();
  }
});
