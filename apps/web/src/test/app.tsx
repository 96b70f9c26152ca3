import type { ResponseMeta } from "@trellis/client";
import { createTrellisClient } from "@trellis/client";
import { QueryClient } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import type { ReactNode } from "react";
import { MemoryRouter } from "react-router";
import { AppProviders } from "../app/providers";
import { type CurrentUser, CurrentUserContext } from "../features/auth/current-user";
import { createIntentRunner } from "../features/intents/intent-runner";
import { createPendingIntentStore, type PendingIntent } from "../features/intents/pending-intents";

export const testUser: CurrentUser = {
  id: "00000000-0000-4000-8000-00000000000e",
  email: "editor@test.local",
  name: "Test editor",
  role: "editor",
};

export interface SentIntent {
  intent: PendingIntent;
  meta: ResponseMeta;
  /** The storage entries when it was sent. */
  storedAtSend: string[];
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** An intent runner over `storage` whose sends the test answers one by one. */
export function controlledRunner(storage: Storage) {
  const sent: SentIntent[] = [];
  const runner = createIntentRunner<unknown>(createPendingIntentStore(storage), (intent, meta) => {
    const storedAtSend = Object.keys(storage).map((k) => `${k}=${storage.getItem(k)}`);
    return new Promise((resolve, reject) => sent.push({ intent, meta, storedAtSend, resolve, reject }));
  });
  return { runner, sent };
}

/**
 * Renders `ui` inside the app's providers, signed in as `user`, at `route`. The tRPC client
 * points nowhere: the tests answer intents through the runner and do not fetch.
 */
export function renderSignedIn(ui: ReactNode, { runner, user = testUser, route = "/" }: { runner: ReturnType<typeof controlledRunner>["runner"]; user?: CurrentUser; route?: string }) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, enabled: false }, mutations: { retry: false } } });
  const trpcClient = createTrellisClient({ url: "http://127.0.0.1:9", retry: false });
  const view = render(
    <AppProviders queryClient={queryClient} trpcClient={trpcClient} intentRunner={runner}>
      <CurrentUserContext value={user}>
        <MemoryRouter initialEntries={[route]}>{ui}</MemoryRouter>
      </CurrentUserContext>
    </AppProviders>,
  );
  return { ...view, queryClient };
}

export const networkError = () => new TypeError("Failed to fetch");
export const apiError = (httpStatus: number, reason: string, message = "Rejected") =>
  Object.assign(new Error(message), { data: { httpStatus, reason, code: "BAD_REQUEST" } });
