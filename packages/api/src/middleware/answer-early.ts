import { middlewareMarker, type MiddlewareResult } from "@trpc/server/unstable-core-do-not-import";

/**
 * The one place that leans on tRPC internals: a middleware result that answers a call without
 * running the rest of the chain (the idempotency middleware's replays).
 *
 * tRPC 11 has no public way to do this: a middleware's result must carry `middlewareMarker`, a
 * branded constant that only `next()` and the procedure's resolver mint, so that a middleware
 * cannot forget to `return next()`. At run time tRPC reads only `ok` and `data` of a result
 * (procedureBuilder.ts: callRecursive, createProcedureCaller). We take the marker from tRPC
 * itself rather than copying its value, so a change to it fails here, at compile time, or in
 * answer-early.test.ts, which replays through a real procedure.
 */
export function answerEarly<TContextOverride = object>(data: unknown): MiddlewareResult<TContextOverride> {
  return { ok: true, data, marker: middlewareMarker };
}
