import { type QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { RouterProvider } from "react-router/dom";
import type { AppBrowserRouter } from "./routes";
import { type TrpcClient, TRPCProvider } from "./trpc";

export function App({
  queryClient,
  trpcClient,
  router,
}: {
  queryClient: QueryClient;
  trpcClient: TrpcClient;
  router: AppBrowserRouter;
}) {
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <RouterProvider router={router} />
      </TRPCProvider>
    </QueryClientProvider>
  );
}
