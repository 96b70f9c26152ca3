import type { AppRouter } from "@trellis/api";
import { createTRPCClient, httpBatchLink, httpLink, httpSubscriptionLink, retryLink, splitLink, type TRPCClient } from "@trpc/client";
import { EventSource as EventSourcePolyfill } from "eventsource";
import superjson from "superjson";
import { idempotencyKeyLink, responseMetaLink } from "./links.js";
import { defaultRetryPolicy, isRetryable, type RetryPolicy, retryDelayMs } from "./retry.js";

export interface TrellisClientOptions {
  /** The Trellis server, e.g. `http://localhost:3000`; `/trpc` is appended when missing. */
  url: string;
  /**
   * An API token (`trellis_pat_…`, created on the dashboard's API tokens page) for scripts and
   * services, or an access token from `auth.login` (valid 15 minutes). Omit to rely on cookies.
   */
  token?: string | (() => string | undefined | Promise<string | undefined>);
  /** A fetch implementation (tests, older runtimes, custom agents); defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Extra headers sent with every request. */
  headers?: Record<string, string>;
  /** Retries of failed calls; `false` turns them off. Mutations retry only when it is safe. */
  retry?: Partial<RetryPolicy> | false;
}

export type TrellisClient = TRPCClient<AppRouter>;

function endpoint(url: string): string {
  const trimmed = url.replace(/\/+$/, "");
  return trimmed.endsWith("/trpc") ? trimmed : `${trimmed}/trpc`;
}

/**
 * A fully typed client for sibling apps (Node or browser).
 * - Every mutation carries an Idempotency-Key, minted once per call and reused by its retries;
 *   pass your own with `mutate(input, { context: { idempotencyKey } })`.
 * - Mutations go one per HTTP request (a tRPC batch would share one key); queries are batched.
 * - Retries with backoff on network failures, 5xx, 409-in-progress and 429 (after Retry-After);
 *   never on other 4xx.
 * - Pass `context: { meta: {} }` to learn whether the server replayed a stored result.
 * - Subscriptions (`project.changes`) stream over SSE and resume from the last event id.
 */
export function createTrellisClient(opts: TrellisClientOptions): TrellisClient {
  const policy = opts.retry === false ? { ...defaultRetryPolicy, attempts: 1 } : { ...defaultRetryPolicy, ...opts.retry };
  const baseHeaders = async () => {
    const token = typeof opts.token === "function" ? await opts.token() : opts.token;
    return { ...opts.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) };
  };
  const common = { url: endpoint(opts.url), transformer: superjson, fetch: opts.fetch };
  let lastError: Parameters<typeof isRetryable>[0] | undefined;
  // Subscriptions stream over SSE. Browsers have EventSource (and send the session cookie);
  // Node 20 does not, so the polyfill carries the bearer token through its fetch.
  const authedFetch: typeof fetch = async (input, init) =>
    (opts.fetch ?? fetch)(input, { ...init, headers: { ...(init?.headers as Record<string, string>), ...(await baseHeaders()) } });
  const subscriptions = httpSubscriptionLink({
    url: common.url,
    transformer: superjson,
    EventSource: (globalThis.EventSource as typeof EventSourcePolyfill | undefined) ?? EventSourcePolyfill,
    eventSourceOptions: () => ({ fetch: authedFetch }),
  });
  return createTRPCClient<AppRouter>({
    links: [
      idempotencyKeyLink(),
      retryLink({
        retry: ({ error, attempts }) => {
          lastError = error;
          return attempts < policy.attempts && isRetryable(error);
        },
        retryDelayMs: (attempt) => retryDelayMs(policy, attempt, lastError),
      }),
      responseMetaLink(),
      splitLink({
        condition: (op) => op.type === "subscription",
        true: subscriptions,
        false: splitLink({
          condition: (op) => op.type === "mutation",
          true: httpLink({
            ...common,
            headers: async ({ op }) => ({
              ...(await baseHeaders()),
              "idempotency-key": String(op.context.idempotencyKey),
            }),
          }),
          false: httpBatchLink({ ...common, headers: baseHeaders }),
        }),
      }),
    ],
  });
}
