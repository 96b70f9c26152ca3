import type { AppRouter } from "@trellis/api";
import { defaultRetryPolicy, idempotencyKeyLink, isRetryable, responseMetaLink, retryDelayMs } from "@trellis/client";
import {
  createTRPCClient,
  httpBatchLink,
  httpLink,
  httpSubscriptionLink,
  retryLink,
  splitLink,
  type TRPCClientError,
} from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import superjson from "superjson";

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

// The session lives in an httpOnly cookie on this origin; say so rather than rely on the default.
const sameOriginFetch: typeof fetch = (input, init) => fetch(input, { ...init, credentials: "same-origin" });

/**
 * The links of @trellis/client's createTrellisClient, with differences for the dashboard:
 * cookies instead of a bearer token, subscriptions split off first (so no idempotency or retry
 * link ever sees them), and the link-level retry only for mutations. Queries are
 * retried by TanStack Query (see query-client.ts); retrying them here as well would multiply the
 * attempts. A mutation's retries carry the Idempotency-Key of its call (set once by
 * idempotencyKeyLink, before retryLink), and the pages pass one key per user intent.
 */
export function createTrpcClient() {
  const common = { url: "/trpc", transformer: superjson, fetch: sameOriginFetch } as const;
  let lastError: TRPCClientError<AppRouter> | undefined;
  return createTRPCClient<AppRouter>({
    links: [
      // Subscriptions (project.changes) stream over SSE and skip the links below: they carry no
      // idempotency key, and the SSE link reconnects by itself, sending the last tracked event id
      // so the stream resumes where it broke off. The browser's EventSource sends the session cookie.
      splitLink({
        condition: (op) => op.type === "subscription",
        true: httpSubscriptionLink({ url: "/trpc", transformer: superjson }),
        false: [
          idempotencyKeyLink(),
          retryLink({
            retry: ({ op, error, attempts }) => {
              lastError = error;
              return op.type === "mutation" && attempts < defaultRetryPolicy.attempts && isRetryable(error);
            },
            // Called right after `retry` for the same failure, so `lastError` is that failure (its Retry-After counts).
            retryDelayMs: (attempt) => retryDelayMs(defaultRetryPolicy, attempt, lastError),
          }),
          responseMetaLink(),
          // Mutations go one per HTTP request: a batch shares one set of headers, and each mutation
          // carries its own idempotency key. Queries batch freely.
          splitLink({
            condition: (op) => op.type === "mutation",
            // x-trellis-csrf: a cross-site page cannot add a custom header without passing CORS, so the
            // server accepts cookie-authenticated writes that carry it (see apps/server/src/csrf.ts).
            true: httpLink({
              ...common,
              headers: ({ op }) => ({ "idempotency-key": String(op.context.idempotencyKey), "x-trellis-csrf": "1" }),
            }),
            false: httpBatchLink(common),
          }),
        ],
      }),
    ],
  });
}

export type TrpcClient = ReturnType<typeof createTrpcClient>;
