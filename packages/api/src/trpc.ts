import { initTRPC } from "@trpc/server";
import type { OpenApiMeta } from "trpc-to-openapi";
import type { KeyPolicy } from "./idempotency/policy.js";
import type { Context } from "./context.js";
import { clientMessage, errorData, MAX_PATH_LENGTH, truncate } from "./errors.js";
import { transformer } from "./transformer.js";

export type Meta = OpenApiMeta & {
  /** Whether a mutation must carry an Idempotency-Key (default "optional"). */
  idempotencyKey?: KeyPolicy;
  /**
   * Top-level output fields that are secrets shown once (a new API token, a temporary password):
   * never stored with the idempotency record, so a replay answers them as null.
   */
  secretOutput?: readonly string[];
  /**
   * Top-level input fields that are secrets (passwords). Their values never reach storage in a
   * guessable form: the idempotency fingerprint keys them with the server secret.
   */
  secretInput?: readonly string[];
  /**
   * The mutation starts a background job and answers its view (jobSchema): REST answers 202 with
   * `Location: /api/v1/jobs/{id}` (apps/server rest plugin), and the OpenAPI document says so.
   */
  startsJob?: boolean;
};

/** The one initTRPC call in the workspace. */
const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    // superjson's wire format, serialized faster (see transformer.ts).
    transformer,
    // SSE subscriptions: pings keep proxies from closing idle streams; clients reconnect
    // (resuming from their last event id) if nothing arrives for a while.
    sse: { ping: { enabled: true, intervalMs: 15_000 }, client: { reconnectAfterInactivityMs: 40_000 } },
    errorFormatter({ shape, error, ctx }) {
      // Internal errors keep their detail in the logs, not on the wire. A validation error says so
      // in a fixed sentence: tRPC's own message is zod's, the JSON of every issue.
      const message = shape.data.httpStatus >= 500 ? "Internal server error" : clientMessage(error, shape.message);
      return {
        ...shape,
        message,
        // The path comes from the URL: an unknown procedure's is the client's text.
        data: { ...shape.data, ...(shape.data.path && { path: truncate(shape.data.path, MAX_PATH_LENGTH) }), stack: undefined, ...errorData(error, ctx?.requestId) },
      };
    },
  });

export const router = t.router;
export const middleware = t.middleware;
export const publicProcedure = t.procedure;
export const createCallerFactory = t.createCallerFactory;
