import { type QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type { TrellisClient } from "@trellis/client";
import type { ReactNode } from "react";
import { type CurrentUser, CurrentUserContext } from "../features/auth/current-user";
import { type DashboardIntentRunner, IntentRunnerProvider } from "../features/intents/runner-context";
import { LiveUpdatesProvider } from "../features/live/live";
import { UndoProvider } from "../features/undo/UndoProvider";
import { TRPCProvider } from "./trpc";

/**
 * Every provider of the dashboard is mounted here, in two layers. The app's: the query cache, the
 * tRPC client and the intent runner, for every page (the sign-in page too).
 */
export function AppProviders({
  queryClient,
  trpcClient,
  intentRunner,
  children,
}: {
  queryClient: QueryClient;
  trpcClient: TrellisClient;
  intentRunner: DashboardIntentRunner;
  children: ReactNode;
}) {
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <IntentRunnerProvider runner={intentRunner}>{children}</IntentRunnerProvider>
      </TRPCProvider>
    </QueryClientProvider>
  );
}

/**
 * The signed-in pages': who is signed in (from RequireAuth), the one live subscription (it ends
 * when the user signs out) and the one Undo offer (it survives navigation).
 */
export function SignedInProviders({ user, children }: { user: CurrentUser; children: ReactNode }) {
  return (
    <CurrentUserContext value={user}>
      <LiveUpdatesProvider>
        <UndoProvider>{children}</UndoProvider>
      </LiveUpdatesProvider>
    </CurrentUserContext>
  );
}
