import type { TRPCLink } from "@trpc/client";
import type { AnyRouter } from "@trpc/server";
import { observable } from "@trpc/server/observable";
import { newIdempotencyKey } from "./keys.js";

/** What a call can learn about its response: pass an object as `context.meta` and read it after. */
export interface ResponseMeta {
  /** True when the server replayed a stored outcome for this Idempotency-Key. */
  replayed?: boolean;
  requestId?: string;
  /** The Idempotency-Key that was sent (yours, or the one minted for this call). */
  idempotencyKey?: string;
}

/**
 * Gives every mutation an Idempotency-Key, once, before any retry: retries of the same call
 * reuse it. A caller's own `context.idempotencyKey` wins.
 */
export function idempotencyKeyLink<TRouter extends AnyRouter>(): TRPCLink<TRouter> {
  return () =>
    ({ op, next }) => {
      if (op.type !== "mutation") return next(op);
      const key = typeof op.context.idempotencyKey === "string" ? op.context.idempotencyKey : newIdempotencyKey();
      const meta = op.context.meta as ResponseMeta | undefined;
      if (meta) meta.idempotencyKey = key;
      return next({ ...op, context: { ...op.context, idempotencyKey: key } });
    };
}

/** Copies the replay marker and request id of the final response into `context.meta`. */
export function responseMetaLink<TRouter extends AnyRouter>(): TRPCLink<TRouter> {
  return () =>
    ({ op, next }) =>
      observable((observer) =>
        next(op).subscribe({
          next(value) {
            const meta = op.context.meta as ResponseMeta | undefined;
            const response = (value.context as { response?: Response } | undefined)?.response;
            if (meta && response) {
              meta.replayed = response.headers.get("idempotent-replayed") === "true";
              meta.requestId = response.headers.get("x-request-id") ?? undefined;
            }
            observer.next(value);
          },
          error: (e) => observer.error(e),
          complete: () => observer.complete(),
        }),
      );
}
