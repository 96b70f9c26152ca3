import { type QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { RouterProvider } from "react-router/dom";
import { IntentRunnerProvider, type ProjectIntentRunner } from "./intents";
import type { AppBrowserRouter } from "./routes";
import { type TrpcClient, TRPCProvider } from "./trpc";

export function App({
  queryClient,
  trpcClient,
  intentRunner,
  router,
}: {
  queryClient: QueryClient;
  trpcClient: TrpcClient;
  intentRunner: ProjectIntentRunner;
  router: AppBrowserRouter;
}) {
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <IntentRunnerProvider runner={intentRunner}>
          <RouterProvider router={router} />
        </IntentRunnerProvider>
      </TRPCProvider>
    </QueryClientProvider>
  );
}
