import type { TrellisClient } from "@trellis/client";
import { getUntypedClient } from "@trpc/client";
import { createContext, type ReactNode, useContext } from "react";
import { createIntentRunner, type IntentRunner } from "./intent-runner";
import { createPendingIntentStore } from "./pending-intents";

/** The dashboard's one intent runner; results are typed by `useIntent` from the intent's path. */
export type DashboardIntentRunner = IntentRunner<unknown>;

/**
 * Sends intents through the app's client with the intent's own Idempotency-Key, so the
 * link-level retries, a second click and a re-send after a reload all carry the same key. Any
 * mutation path goes through the one untyped call: `useIntent` typed the input when it was
 * submitted, and inputs read back from storage are the app's own earlier ones, which the server
 * validates again.
 */
export function createDashboardIntentRunner(client: TrellisClient, storage: Storage | undefined): DashboardIntentRunner {
  const untyped = getUntypedClient(client);
  return createIntentRunner(createPendingIntentStore(storage), (intent, meta) =>
    untyped.mutation(intent.path, intent.input, { context: { idempotencyKey: intent.key, meta } }),
  );
}

/** `localStorage`, or undefined where the browser refuses it (some privacy modes throw on access). */
export function browserStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

const IntentRunnerContext = createContext<DashboardIntentRunner | null>(null);

export function IntentRunnerProvider({ runner, children }: { runner: DashboardIntentRunner; children: ReactNode }) {
  return <IntentRunnerContext value={runner}>{children}</IntentRunnerContext>;
}

export function useIntentRunner(): DashboardIntentRunner {
  const runner = useContext(IntentRunnerContext);
  if (!runner) throw new Error("useIntentRunner must be used below <IntentRunnerProvider>");
  return runner;
}
