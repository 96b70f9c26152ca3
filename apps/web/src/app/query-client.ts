import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";
import { isSignedOut, shouldRetry } from "../lib/errors";

/**
 * `onSignedOut` runs when any query or mutation finds the session gone (expired, revoked),
 * so every page sends the user to /login without handling it itself.
 */
export function createQueryClient(onSignedOut: () => void): QueryClient {
  const onError = (error: unknown) => {
    if (isSignedOut(error)) onSignedOut();
  };
  return new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      queries: { retry: shouldRetry, staleTime: 10_000 },
      // Mutations are retried by the client's retry link (see trpc.ts), which resends with the same
      // Idempotency-Key; a TanStack retry on top would only multiply the attempts.
      mutations: { retry: false },
    },
  });
}
