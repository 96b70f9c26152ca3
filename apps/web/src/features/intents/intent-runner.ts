import type { ResponseMeta } from "@trellis/client";
import { isFinalFailure } from "../../lib/errors";
import type { PendingIntent, PendingIntentStore } from "./pending-intents";

export interface IntentOutcome<T> {
  result: T;
  /** The server had already done this intent and replayed the stored result. */
  replayed: boolean;
}

export interface IntentRunner<T> {
  /**
   * Persists the intent (unless its path is never stored, see intent-paths.ts), sends it with
   * its key and forgets it once the answer is final: a
   * success, or a rejection that sending again would only repeat. Anything else (network
   * failure, 5xx, still in progress, signed out) keeps it persisted for a later send.
   * While one send of a key is running, another `run` of that key joins it instead of sending again.
   */
  run(intent: PendingIntent): Promise<IntentOutcome<T>>;
  /** The user moved on (changed the form): forget the intent now, or when its running send settles. */
  discard(key: string): void;
  isRunning(key: string): boolean;
  /** Intents to re-send for this user (oldest first); expired ones are dropped by the store. */
  pending(userId: string): PendingIntent[];
}

export function createIntentRunner<T>(
  store: PendingIntentStore,
  send: (intent: PendingIntent, meta: ResponseMeta) => Promise<T>,
): IntentRunner<T> {
  const running = new Map<string, Promise<IntentOutcome<T>>>();
  const discarded = new Set<string>();

  const start = async (intent: PendingIntent): Promise<IntentOutcome<T>> => {
    // Persisted before the request leaves: a reload mid-request must still know about it.
    store.save(intent);
    const meta: ResponseMeta = {};
    try {
      const result = await send(intent, meta);
      store.remove(intent.key);
      return { result, replayed: meta.replayed === true };
    } catch (error) {
      if (isFinalFailure(error) || discarded.has(intent.key)) store.remove(intent.key);
      throw error;
    }
  };

  return {
    run(intent) {
      const current = running.get(intent.key);
      if (current) return current;
      // Cleared in a later tick (`finally` callbacks never run synchronously), so always after `set`.
      const promise = start(intent).finally(() => {
        running.delete(intent.key);
        discarded.delete(intent.key);
      });
      running.set(intent.key, promise);
      return promise;
    },
    discard(key) {
      if (running.has(key)) discarded.add(key);
      else store.remove(key);
    },
    isRunning: (key) => running.has(key),
    pending: (userId) => store.list(userId),
  };
}
