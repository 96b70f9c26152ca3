import superjson, { type SuperJSONResult } from "superjson";
import { type IntentPath, isStoredPath } from "./intent-paths";
import { canonicalJson } from "@trellis/api/schemas";

/** One user intent (a form submission, an archive click) that has not been confirmed yet. */
export interface PendingIntent {
  /** The Idempotency-Key: every send of this intent, before or after a reload, carries it. */
  key: string;
  path: IntentPath;
  input: unknown;
  /** For people: `Create project “Launch”`. */
  label: string;
  /** Whose intent it is: it is only ever re-sent for the same signed-in user. */
  userId: string;
  /** When the intent started (ms since the epoch); it expires before the server forgets the key. */
  createdAt: number;
}

/**
 * The server keeps idempotency records 24 h from the first attempt. Past that the key would run
 * as new, so an older intent is dropped rather than risk doing it twice.
 */
export const INTENT_MAX_AGE_MS = 23 * 60 * 60 * 1000;
export const INTENT_STORAGE_PREFIX = "trellis:intent:";

export interface PendingIntentStore {
  /**
   * Persists the intent (before it is sent). False when it was not written: its path is never
   * stored (a password in its input, a secret in its answer: see intent-paths.ts), or storage
   * refused it (quota, private mode).
   */
  save(intent: PendingIntent): boolean;
  remove(key: string): void;
  /** The user's unexpired intents, oldest first. Expired or unreadable entries are deleted on the way. */
  list(userId: string): PendingIntent[];
}

/** What is stored under `trellis:intent:<key>`: the input as superjson, so Dates and the like survive. */
interface StoredIntent extends Omit<PendingIntent, "input"> {
  input: SuperJSONResult;
}

type KeyValueStorage = Pick<Storage, "getItem" | "setItem" | "removeItem" | "key" | "length">;

/**
 * Pending intents in Web Storage, one entry per intent (two tabs writing different intents never
 * overwrite each other). `storage` is `localStorage` in the app and a fake in tests.
 */
export function createPendingIntentStore(
  storage: KeyValueStorage | undefined,
  { now = Date.now, maxAgeMs = INTENT_MAX_AGE_MS }: { now?: () => number; maxAgeMs?: number } = {},
): PendingIntentStore {
  const entryKey = (key: string) => `${INTENT_STORAGE_PREFIX}${key}`;
  const quietly = (fn: () => void) => {
    try {
      fn();
    } catch {
      // Storage can be unavailable or full; the intent is still sent, it just cannot survive a reload.
    }
  };

  return {
    save(intent) {
      // The one place that writes intents to storage, so the one place that keeps secrets out of it.
      if (!storage || !isStoredPath(intent.path)) return false;
      const stored: StoredIntent = { ...intent, input: superjson.serialize(intent.input) };
      try {
        storage.setItem(entryKey(intent.key), JSON.stringify(stored));
        return true;
      } catch {
        return false;
      }
    },
    remove(key) {
      quietly(() => storage?.removeItem(entryKey(key)));
    },
    list(userId) {
      if (!storage) return [];
      const found: PendingIntent[] = [];
      const drop: string[] = [];
      let length = 0;
      quietly(() => (length = storage.length));
      for (let i = 0; i < length; i++) {
        const name = storage.key(i);
        if (!name?.startsWith(INTENT_STORAGE_PREFIX)) continue;
        const intent = parseStored(storage.getItem(name));
        if (!intent || now() - intent.createdAt > maxAgeMs) {
          drop.push(name);
          continue;
        }
        if (intent.userId === userId) found.push(intent);
      }
      // Removed after the loop: removing while iterating by index would skip entries.
      for (const name of drop) quietly(() => storage.removeItem(name));
      return found.sort((a, b) => a.createdAt - b.createdAt);
    },
  };
}

function parseStored(text: string | null): PendingIntent | undefined {
  if (text === null) return undefined;
  try {
    const raw = JSON.parse(text) as Partial<StoredIntent>;
    if (
      typeof raw.key !== "string" ||
      raw.key === "" ||
      // Unknown paths, and paths never stored (an entry from another build), are dropped unread.
      !isStoredPath(raw.path) ||
      typeof raw.label !== "string" ||
      typeof raw.userId !== "string" ||
      typeof raw.createdAt !== "number" ||
      typeof raw.input !== "object" ||
      raw.input === null
    ) {
      return undefined;
    }
    return {
      key: raw.key,
      path: raw.path,
      input: superjson.deserialize(raw.input),
      label: raw.label,
      userId: raw.userId,
      createdAt: raw.createdAt,
    };
  } catch {
    return undefined;
  }
}

/** The intent a form is working on: its key, the input it stands for, when it started. */
export interface CurrentIntent {
  key: string;
  fingerprint: string;
  createdAt: number;
}

/**
 * Which intent a submission belongs to: the current one when the input is the same (a double
 * click, a resubmission, a save after a timeout: same key, same start time); else an unconfirmed
 * stored intent with that input (the same form filled in again after leaving the page, a send
 * still running from the reload banner); else a new one with a fresh key. `replaced` is the
 * current intent given up for another, if any. `stored` holds this user's pending intents of the same procedure.
 */
export function intentForSubmission(
  current: CurrentIntent | null,
  input: unknown,
  { newKey, now, stored = [] }: { newKey: () => string; now: number; stored?: readonly PendingIntent[] },
): { intent: CurrentIntent; replaced: CurrentIntent | null } {
  const fingerprint = inputFingerprint(input);
  if (current?.fingerprint === fingerprint) return { intent: current, replaced: null };
  const same = stored.find((pending) => inputFingerprint(pending.input) === fingerprint);
  const intent = same ? { key: same.key, fingerprint, createdAt: same.createdAt } : { key: newKey(), fingerprint, createdAt: now };
  return { intent, replaced: current };
}

/**
 * A stable text for "is this the same input?": key order does not matter, Dates and undefined
 * are told apart as superjson tells them apart. Two submissions of one form content match.
 */
export function inputFingerprint(input: unknown): string {
  return canonicalJson(superjson.serialize(input));
}

