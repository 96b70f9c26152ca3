import type { RouterInputs } from "@trellis/api";
import type { Project } from "@trellis/api/schemas";
import { newIdempotencyKey } from "@trellis/client";
import { useMutation } from "@tanstack/react-query";
import { createContext, type ReactNode, useCallback, useContext, useRef } from "react";
import { useCurrentUser } from "./hooks/current-user";
import { isFinalFailure } from "./lib/errors";
import { createIntentRunner, type IntentOutcome, type IntentRunner } from "./lib/intent-runner";
import {
  createPendingIntentStore,
  type CurrentIntent,
  type IntentPath,
  intentForSubmission,
  type PendingIntent,
} from "./lib/pending-intents";
import type { TrpcClient } from "./trpc";

export interface IntentInputs {
  "project.create": RouterInputs["project"]["create"];
  "project.update": RouterInputs["project"]["update"];
  "project.archive": RouterInputs["project"]["archive"];
  "project.restore": RouterInputs["project"]["restore"];
  "project.revert": RouterInputs["project"]["revert"];
}

export type ProjectIntentRunner = IntentRunner<Project>;

/**
 * Sends intents through the app's tRPC client with the intent's own Idempotency-Key, so the
 * link-level retries, a second click and a re-send after a reload all carry the same key.
 * Inputs read back from storage are the app's own earlier inputs; the server validates them again.
 */
export function createProjectIntentRunner(client: TrpcClient, storage: Storage | undefined): ProjectIntentRunner {
  return createIntentRunner<Project>(createPendingIntentStore(storage), (intent, meta) => {
    const opts = { context: { idempotencyKey: intent.key, meta } };
    const { project } = client;
    switch (intent.path) {
      case "project.create":
        return project.create.mutate(intent.input as IntentInputs["project.create"], opts);
      case "project.update":
        return project.update.mutate(intent.input as IntentInputs["project.update"], opts);
      case "project.archive":
        return project.archive.mutate(intent.input as IntentInputs["project.archive"], opts);
      case "project.restore":
        return project.restore.mutate(intent.input as IntentInputs["project.restore"], opts);
      case "project.revert":
        return project.revert.mutate(intent.input as IntentInputs["project.revert"], opts);
    }
  });
}

/** `localStorage`, or undefined where the browser refuses it (some privacy modes throw on access). */
export function browserStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

const IntentRunnerContext = createContext<ProjectIntentRunner | null>(null);

export function IntentRunnerProvider({ runner, children }: { runner: ProjectIntentRunner; children: ReactNode }) {
  return <IntentRunnerContext value={runner}>{children}</IntentRunnerContext>;
}

export function useIntentRunner(): ProjectIntentRunner {
  const runner = useContext(IntentRunnerContext);
  if (!runner) throw new Error("useIntentRunner must be used below <IntentRunnerProvider>");
  return runner;
}

/**
 * One mutation as user intents: `submit(input, label)` starts an intent with a fresh
 * Idempotency-Key, or continues the current one when the input is the same (a double click, a
 * resubmitted form, a save after a timeout), so it lands once. The key is dropped on success, on a
 * final rejection, and by `abandon()` (call it when the user changes the form: new content, new intent).
 * The intent is persisted while unconfirmed and re-sent after a reload (see PendingIntentsBanner).
 * TanStack's own mutation retry stays off: the client's retry link resends with the same key.
 */
export function useIntent<P extends IntentPath>(
  path: P,
  callbacks: {
    onSuccess?: (project: Project, outcome: IntentOutcome<Project>) => void;
    onError?: (error: Error, details: { final: boolean }) => void;
  } = {},
) {
  const runner = useIntentRunner();
  const user = useCurrentUser();
  const current = useRef<CurrentIntent | null>(null);
  const sending = useRef(false);

  const mutation = useMutation({
    mutationKey: ["intent", path],
    mutationFn: (intent: PendingIntent) => runner.run(intent),
    retry: false,
    onSuccess: (outcome, intent) => {
      if (current.current?.key === intent.key) current.current = null;
      callbacks.onSuccess?.(outcome.result, outcome);
    },
    onError: (error, intent) => {
      const final = isFinalFailure(error);
      if (final && current.current?.key === intent.key) current.current = null;
      callbacks.onError?.(error, { final });
    },
    onSettled: () => {
      sending.current = false;
    },
  });

  const submit = useCallback(
    (input: IntentInputs[P], label: string) => {
      // A second submit while the first is on its way (a double click, Enter after a click) adds nothing.
      if (sending.current) return;
      const stored = runner.pending(user.id).filter((pending) => pending.path === path);
      const { intent, replaced } = intentForSubmission(current.current, input, { newKey: newIdempotencyKey, now: Date.now(), stored });
      if (replaced) runner.discard(replaced.key);
      current.current = intent;
      sending.current = true;
      mutation.mutate({ key: intent.key, path, input, label, userId: user.id, createdAt: intent.createdAt });
    },
    [runner, user.id, path, mutation.mutate],
  );

  const abandon = useCallback(() => {
    if (!current.current) return;
    runner.discard(current.current.key);
    current.current = null;
  }, [runner]);

  return {
    submit,
    abandon,
    isPending: mutation.isPending,
    error: mutation.error,
    /** The last success was a replay of an earlier send of the same intent. */
    replayed: mutation.data?.replayed === true,
    reset: mutation.reset,
  };
}
