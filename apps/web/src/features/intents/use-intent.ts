import { newIdempotencyKey } from "@trellis/client";
import { useMutation } from "@tanstack/react-query";
import { useCallback, useRef } from "react";
import { isFinalFailure } from "../../lib/errors";
import { useCurrentUser } from "../auth/current-user";
import type { IntentPath, MutationInput, MutationOutput } from "./intent-paths";
import type { IntentOutcome } from "./intent-runner";
import { type CurrentIntent, intentForSubmission, type PendingIntent } from "./pending-intents";
import { useIntentRunner } from "./runner-context";
import { useIntentWritten } from "./use-intent-written";

/**
 * One mutation as user intents: `submit(input, label)` starts an intent with a fresh
 * Idempotency-Key, or continues the current one when the input is the same (a double click, a
 * resubmitted form, a save after a timeout), so it lands once. The key is dropped on success, on a
 * final rejection, and by `abandon()` (call it when the user changes the form: new content, new intent).
 * The intent is persisted while unconfirmed and re-sent after a reload (see PendingIntentsBanner),
 * unless its path is never stored (see intent-paths.ts). A success refreshes what the intent made
 * stale (useIntentWritten) before `onSuccess` runs.
 * TanStack's own mutation retry stays off: the client's retry link resends with the same key.
 */
export function useIntent<P extends IntentPath>(
  path: P,
  callbacks: {
    onSuccess?: (result: MutationOutput<P>, outcome: IntentOutcome<MutationOutput<P>>) => void;
    onError?: (error: Error, details: { final: boolean }) => void;
  } = {},
) {
  const runner = useIntentRunner();
  const user = useCurrentUser();
  const written = useIntentWritten();
  const current = useRef<CurrentIntent | null>(null);
  const sending = useRef(false);

  const mutation = useMutation({
    mutationKey: ["intent", path],
    // The runner answers for any path; the result is the output of this intent's path.
    mutationFn: (intent: PendingIntent) => runner.run(intent) as Promise<IntentOutcome<MutationOutput<P>>>,
    retry: false,
    onSuccess: (outcome, intent) => {
      if (current.current?.key === intent.key) current.current = null;
      written(path, outcome.result);
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

  // TanStack Query keeps `mutate` stable across renders; the mutation object itself is not.
  const { mutate } = mutation;
  const submit = useCallback(
    (input: MutationInput<P>, label: string) => {
      // A second submit while the first is on its way (a double click, Enter after a click) adds nothing.
      if (sending.current) return;
      const stored = runner.pending(user.id).filter((pending) => pending.path === path);
      const { intent, replaced } = intentForSubmission(current.current, input, { newKey: newIdempotencyKey, now: Date.now(), stored });
      if (replaced) runner.discard(replaced.key);
      current.current = intent;
      sending.current = true;
      mutate({ key: intent.key, path, input, label, userId: user.id, createdAt: intent.createdAt });
    },
    [runner, user.id, path, mutate],
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
    /** The input of the last submission (while it is pending, the one on its way). */
    input: mutation.variables?.input as MutationInput<P> | undefined,
    /** The result of the last success, until `reset()`. */
    result: mutation.data?.result,
    /** The last success was a replay of an earlier send of the same intent. */
    replayed: mutation.data?.replayed === true,
    reset: mutation.reset,
  };
}
