import type { AppRouter } from "@trellis/api";
import { createTRPCClient, httpBatchLink, httpLink, httpSubscriptionLink, splitLink, type TRPCClient } from "@trpc/client";
import superjson from "superjson";
import { defaultEventSource, type EventSourceConstructor } from "#event-source";
import { idempotencyKeyLink, responseMetaLink } from "./links.js";
import { defaultRetryPolicy, policyRetryLink, type RetryPolicy } from "./retry.js";

export interface TrellisClientOptions {
  /** The Trellis server, e.g. `http://localhost:3000` (or `/trpc` on the page's own origin); `/trpc` is appended when missing. */
  url: string;
  /**
   * An API token (`trellis_pat_…`, created on the dashboard's API tokens page) for scripts and
   * services, or an access token from `auth.login` (valid 15 minutes). Omit to rely on cookies.
   */
  token?: string | (() => string | undefined | Promise<string | undefined>);
  /**
   * Sign in with the session cookie the server set at sign-in, for an app in a browser:
   * `"same-origin"` when the Trellis server serves the app (the dashboard), `"include"` from
   * another origin listed in CORS_ORIGINS. Every request is sent with these fetch credentials, and
   * every mutation with `x-trellis-csrf: 1`: the server refuses a write authenticated by the
   * cookie without it (or an allowed Origin), since a page on another site could send the cookie too.
   */
  cookies?: "same-origin" | "include";
  /** A fetch implementation (tests, older runtimes, custom agents); defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Extra headers sent with every request. */
  headers?: Record<string, string>;
  /**
   * Retries of failed calls; `false` turns them off. Mutations retry only when it is safe.
   * `queries: false` retries mutations only, for an app that retries queries itself (TanStack
   * Query's `retry`): retrying at both levels multiplies the attempts.
   */
  retry?: (Partial<RetryPolicy> & { queries?: boolean }) | false;
  /**
   * The EventSource for subscriptions. Defaults to the browser's in browsers (it sends cookies,
   * but no Authorization header) and to the `eventsource` package elsewhere (it sends the token).
   */
  EventSource?: EventSourceConstructor;
}

export type TrellisClient = TRPCClient<AppRouter>;

/** Tells the server that a cookie-authenticated write comes from a page that could set custom headers: not a cross-site form. */
const CSRF_HEADER = "x-trellis-csrf";

function endpoint(url: string): string {
  const trimmed = url.replace(/\/+$/, "");
  return trimmed.endsWith("/trpc") ? trimmed : `${trimmed}/trpc`;
}

/**
 * A fully typed client for sibling apps (Node or browser) and the dashboard.
 * - Every mutation carries an Idempotency-Key, minted once per call and reused by its retries;
 *   pass your own with `mutate(input, { context: { idempotencyKey } })`.
 * - Mutations go one per HTTP request (a tRPC batch would share one key); queries are batched.
 * - Retries with backoff on network failures, 5xx, 409-in-progress and 429 (after Retry-After);
 *   never on other 4xx.
 * - Pass `context: { meta: {} }` to learn whether the server replayed a stored result.
 * - Subscriptions (`project.changes`) stream over SSE and resume from the last event id.
 */
export function createTrellisClient(opts: TrellisClientOptions): TrellisClient {
  const { queries, ...policyOptions } = opts.retry === false ? { attempts: 1 } : (opts.retry ?? {});
  const policy: RetryPolicy = { ...defaultRetryPolicy, ...policyOptions };
  const baseHeaders = async () => {
    const token = typeof opts.token === "function" ? await opts.token() : opts.token;
    return { ...opts.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) };
  };
  const fetchImpl: typeof fetch | undefined = opts.cookies
    ? (input, init) => (opts.fetch ?? globalThis.fetch)(input, { ...init, credentials: opts.cookies })
    : opts.fetch;
  const common = { url: endpoint(opts.url), transformer: superjson, fetch: fetchImpl };
  // The polyfill makes its requests through this fetch, so they carry the token (or the cookie
  // credentials); the browser's EventSource ignores `fetch` and sends the cookie by itself.
  const eventSourceFetch: typeof fetch = async (input, init) =>
    (fetchImpl ?? globalThis.fetch)(input, { ...init, headers: { ...(init?.headers as Record<string, string>), ...(await baseHeaders()) } });

  return createTRPCClient<AppRouter>({
    links: [
      // Subscriptions are split off first. The SSE link owns their reconnection: it resumes from
      // the last event id after a dropped connection, and ends the subscription with an error only
      // when reconnecting cannot help (signed out, refused). The links below have nothing to add
      // (no key, no replay marker), and a retry link above it would start a second reconnect loop
      // that re-subscribes after exactly those final answers.
      splitLink({
        condition: (op) => op.type === "subscription",
        true: httpSubscriptionLink({
          url: common.url,
          transformer: superjson,
          EventSource: opts.EventSource ?? defaultEventSource,
          eventSourceOptions: () => ({ fetch: eventSourceFetch, withCredentials: opts.cookies === "include" }),
        }),
        false: [
          // The key is set before the retry link, so every retry of a call carries the call's key.
          idempotencyKeyLink(),
          policyRetryLink(policy, { queries }),
          responseMetaLink(),
          splitLink({
            condition: (op) => op.type === "mutation",
            true: httpLink({
              ...common,
              headers: async ({ op }) => ({
                ...(await baseHeaders()),
                ...(opts.cookies ? { [CSRF_HEADER]: "1" } : {}),
                "idempotency-key": String(op.context.idempotencyKey),
              }),
            }),
            // The server refuses batches of more than 20 calls (MAX_BATCH_SIZE in apps/server): split before that.
            false: httpBatchLink({ ...common, headers: baseHeaders, maxItems: 20 }),
          }),
        ],
      }),
    ],
  });
}
