import type { Project } from "@trellis/api/schemas";
import { useCallback, useEffect, useRef, useState } from "react";
import { useIntentRunner } from "../intents";
import { isFinalFailure } from "../lib/errors";
import type { PendingIntent } from "../lib/pending-intents";
import { useCurrentUser } from "./current-user";
import { useProjectWritten } from "./use-project-written";

export type ResendItem =
  | { intent: PendingIntent; state: "sending" }
  | { intent: PendingIntent; state: "saved"; project: Project; replayed: boolean }
  | { intent: PendingIntent; state: "failed"; error: unknown; final: boolean };

/**
 * After sign-in, sends every intent this user left unconfirmed (a reload or a closed tab mid-save),
 * one at a time in the order they were made, each with its own key: whatever already reached the
 * server is replayed, the rest runs now. Each success updates that project's caches.
 */
export function useResendPendingIntents() {
  const runner = useIntentRunner();
  const user = useCurrentUser();
  const projectWritten = useProjectWritten();
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
          projectWritten(result);
          update({ intent, state: "saved", project: result, replayed });
        } catch (error) {
          if (!active()) return;
          update({ intent, state: "failed", error, final: isFinalFailure(error) });
        }
      }
    },
    [runner, projectWritten],
  );

  useEffect(() => {
    const pending = runner.pending(user.id);
    if (pending.length > 0) void resend(pending);
    return () => {
      generation.current++;
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
