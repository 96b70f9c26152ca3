import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";
import { isSignedOut, shouldRetry } from "./lib/errors";

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
      // A mutation is retried only by the user, until idempotency keys make automatic retries safe.
      mutations: { retry: false },
    },
  });
}
