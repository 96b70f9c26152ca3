import type { AppRouter } from "@trellis/api";
import { createTrellisClient, type TrellisClient } from "@trellis/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";

export const { TRPCProvider, useTRPC } = createTRPCContext<AppRouter>();

/**
 * The dashboard's client is @trellis/client's, with the options a page on the server's own origin needs:
 * - the session cookie (an httpOnly cookie on this origin) instead of a token, and with it the
 *   CSRF header on every mutation;
 * - link-level retries for mutations only: TanStack Query retries queries (see query-client.ts),
 *   retrying them in the client too would multiply the attempts. A mutation's retries carry the
 *   Idempotency-Key of its call, and the pages pass one key per user intent (features/intents);
 * - subscriptions through the browser's EventSource, which sends the cookie.
 */
export function createDashboardClient(): TrellisClient {
  return createTrellisClient({ url: "/trpc", cookies: "same-origin", retry: { queries: false } });
}
