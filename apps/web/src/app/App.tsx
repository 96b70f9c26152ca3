import type { QueryClient } from "@tanstack/react-query";
import type { TrellisClient } from "@trellis/client";
import { RouterProvider } from "react-router/dom";
import type { DashboardIntentRunner } from "../features/intents/runner-context";
import { AppProviders } from "./providers";
import type { AppBrowserRouter } from "./routes";

export function App({
  queryClient,
  trpcClient,
  intentRunner,
  router,
}: {
  queryClient: QueryClient;
  trpcClient: TrellisClient;
  intentRunner: DashboardIntentRunner;
  router: AppBrowserRouter;
}) {
  return (
    <AppProviders queryClient={queryClient} trpcClient={trpcClient} intentRunner={intentRunner}>
      <RouterProvider router={router} />
    </AppProviders>
  );
}
