import type { AppRouter } from "@trellis/api";
import { createTRPCClient, httpBatchLink, httpLink, splitLink } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import superjson from "superjson";

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

// The session lives in an httpOnly cookie on this origin; say so rather than rely on the default.
const sameOriginFetch: typeof fetch = (input, init) => fetch(input, { ...init, credentials: "same-origin" });

export function createTrpcClient() {
  const common = { url: "/trpc", transformer: superjson, fetch: sameOriginFetch } as const;
  return createTRPCClient<AppRouter>({
    links: [
      // Mutations go one per HTTP request: a batch shares one set of headers, and each
      // mutation will carry its own idempotency key. Queries batch freely.
      splitLink({
        condition: (op) => op.type === "mutation",
        true: httpLink(common),
        false: httpBatchLink(common),
      }),
    ],
  });
}

export type TrpcClient = ReturnType<typeof createTrpcClient>;
