import { useCallback, useEffect, useRef, useState } from "react";
import { isFinalFailure } from "../../lib/errors";
import { useCurrentUser } from "../auth/current-user";
import type { PendingIntent } from "./pending-intents";
import { useIntentRunner } from "./runner-context";
import { useIntentWritten } from "./use-intent-written";

export type ResendItem =
  | { intent: PendingIntent; state: "sending" }
  | { intent: PendingIntent; state: "saved"; result: unknown; replayed: boolean }
  | { intent: PendingIntent; state: "failed"; error: unknown; final: boolean };

/**
 * After sign-in, sends every intent this user left unconfirmed (a reload or a closed tab mid-save),
 * one at a time in the order they were made, each with its own key: whatever already reached the
 * server is replayed, the rest runs now. Each success refreshes what it made stale. Only stored
 * intents come back here: one never stored (see intent-paths.ts) is gone after a reload.
 */
export function useResendPendingIntents() {
  const runner = useIntentRunner();
  const user = useCurrentUser();
  const written = useIntentWritten();
  const [items, setItems] = useState<ResendItem[]>([]);
  const generation = useRef(0);

  const resend = useCallback(
    async (intents: PendingIntent[]) => {
      const mine = ++generation.current;
      const active = () => generation.current === mine;
      const update = (item: ResendItem) =>
        setItems((all) => all.map((existing) => (existing.intent.key === item.intent.key ? item : existing)));
      setItems((all) => {
        const keys = new Set(intents.map((i) => i.key));
        return [...all.filter((i) => !keys.has(i.intent.key)), ...intents.map((intent) => ({ intent, state: "sending" as const }))];
      });
      for (const intent of intents) {
        if (!active()) return;
        try {
          // Joins the send already running for this key, if any (React's dev double effects).
          const { result, replayed } = await runner.run(intent);
          if (!active()) return;
          written(intent.path, result);
          update({ intent, state: "saved", result, replayed });
        } catch (error) {
          if (!active()) return;
          update({ intent, state: "failed", error, final: isFinalFailure(error) });
        }
      }
    },
    [runner, written],
  );

  useEffect(() => {
    const pending = runner.pending(user.id);
    if (pending.length > 0) void resend(pending);
    // A counter, not a DOM node: bumping it on cleanup is what tells the running resend to stop.
    const sends = generation;
    return () => {
      sends.current++;
    };
  }, [runner, user.id, resend]);

  /** Sends the failed intents that are still kept (not final) again. */
  const retry = useCallback(() => {
    const again = items.filter((i) => i.state === "failed" && !i.final).map((i) => i.intent);
    if (again.length > 0) void resend(again);
  }, [items, resend]);

  /** Gives up on a kept intent: it will not be sent again. */
  const discard = useCallback(
    (key: string) => {
      runner.discard(key);
      setItems((all) => all.filter((i) => i.intent.key !== key));
    },
    [runner],
  );

  const dismiss = useCallback(() => {
    generation.current++;
    setItems([]);
  }, []);

  return { items, retry, discard, dismiss };
}
