import type { AppRouter } from "@trellis/api";
import { createTRPCClient, httpBatchLink, httpLink, splitLink, type TRPCClient } from "@trpc/client";
import superjson from "superjson";

export interface TrellisClientOptions {
  /** The Trellis server, e.g. `http://localhost:3000`; `/trpc` is appended when missing. */
  url: string;
  /** Bearer token from `auth.login` (or POST /api/v1/auth/login). Omit to rely on cookies. */
  token?: string | (() => string | undefined | Promise<string | undefined>);
  /** A fetch implementation (tests, older runtimes, custom agents); defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Extra headers sent with every request. */
  headers?: Record<string, string>;
}

export type TrellisClient = TRPCClient<AppRouter>;

function endpoint(url: string): string {
  const trimmed = url.replace(/\/+$/, "");
  return trimmed.endsWith("/trpc") ? trimmed : `${trimmed}/trpc`;
}

/**
 * A fully typed client for sibling apps (Node or browser). Queries are batched; mutations
 * go one per HTTP request, so per-request headers (such as idempotency keys) stay per mutation.
 */
export function createTrellisClient(opts: TrellisClientOptions): TrellisClient {
  const headers = async () => {
    const token = typeof opts.token === "function" ? await opts.token() : opts.token;
    return { ...opts.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) };
  };
  const common = { url: endpoint(opts.url), transformer: superjson, headers, fetch: opts.fetch };
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "mutation",
        true: httpLink(common),
        false: httpBatchLink(common),
      }),
    ],
  });
}
