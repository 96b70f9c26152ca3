import type { ResponseMeta } from "@trellis/client";
import { describe, expect, it } from "vitest";
import { FakeStorage } from "../../test/fake-storage";
import { createIntentRunner } from "./intent-runner";
import { createPendingIntentStore, type PendingIntent } from "./pending-intents";

const intent: PendingIntent = {
  key: "k1",
  path: "project.create",
  input: { name: "Launch" },
  label: "Create project “Launch”",
  userId: "u1",
  createdAt: 1_000,
};

const apiError = (httpStatus: number, reason?: string) => Object.assign(new Error("rejected"), { data: { httpStatus, reason } });

/** A send whose calls the test answers one by one, recording what was persisted at send time. */
function controlledSend() {
  const calls: Array<{
    intent: PendingIntent;
    meta: ResponseMeta;
    persistedAtSend: string[];
    resolve: (value: string) => void;
    reject: (error: unknown) => void;
  }> = [];
  const storage = new FakeStorage();
  const store = createPendingIntentStore(storage, { now: () => 2_000 });
  const runner = createIntentRunner<string>(store, (sent, meta) => {
    const persistedAtSend = store.list("u1").map((i) => i.key);
    return new Promise<string>((resolve, reject) => calls.push({ intent: sent, meta, persistedAtSend, resolve, reject }));
  });
  return { calls, storage, store, runner };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe("intent runner", () => {
  it("persists before sending and forgets after a success, reporting a replay", async () => {
    const { calls, store, runner } = controlledSend();
    const done = runner.run(intent);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.persistedAtSend).toEqual(["k1"]);
    expect(runner.isRunning("k1")).toBe(true);
    calls[0]!.meta.replayed = true;
    calls[0]!.resolve("project-1");
    await expect(done).resolves.toEqual({ result: "project-1", replayed: true });
    expect(store.list("u1")).toEqual([]);
    expect(runner.isRunning("k1")).toBe(false);
  });

  it("joins a running send of the same key instead of sending twice (double submit)", async () => {
    const { calls, runner } = controlledSend();
    const first = runner.run(intent);
    const second = runner.run({ ...intent });
    expect(second).toBe(first);
    expect(calls).toHaveLength(1);
    calls[0]!.resolve("project-1");
    await first;
    // Once settled, the same key can be sent again (the server replays it).
    void runner.run(intent).catch(() => {});
    expect(calls).toHaveLength(2);
  });

  it("keeps the intent after a failure that sending again could fix", async () => {
    for (const error of [new TypeError("Failed to fetch"), apiError(503), apiError(409, "IDEMPOTENCY_IN_PROGRESS"), apiError(401, "SIGNED_OUT")]) {
      const { calls, store, runner } = controlledSend();
      const done = runner.run(intent);
      calls[0]!.reject(error);
      await expect(done).rejects.toBe(error);
      expect(store.list("u1").map((i) => i.key)).toEqual(["k1"]);
    }
  });

  it("forgets the intent after a final rejection", async () => {
    for (const error of [apiError(400, "VALIDATION_FAILED"), apiError(409, "VERSION_CONFLICT"), apiError(422, "IDEMPOTENCY_KEY_REUSED")]) {
      const { calls, store, runner } = controlledSend();
      const done = runner.run(intent);
      calls[0]!.reject(error);
      await expect(done).rejects.toBe(error);
      expect(store.list("u1")).toEqual([]);
    }
  });

  it("discards an idle intent at once and a running one when it settles", async () => {
    const { calls, store, runner } = controlledSend();
    store.save(intent);
    runner.discard("k1");
    expect(store.list("u1")).toEqual([]);

    const done = runner.run(intent);
    runner.discard("k1");
    expect(store.list("u1").map((i) => i.key)).toEqual(["k1"]);
    calls[0]!.reject(new TypeError("Failed to fetch"));
    await expect(done).rejects.toThrow("Failed to fetch");
    expect(store.list("u1")).toEqual([]);
  });

  it("lists what is pending for a user, for the re-send after a reload", async () => {
    const { calls, runner } = controlledSend();
    const done = runner.run(intent);
    expect(runner.pending("u1").map((i) => i.key)).toEqual(["k1"]);
    expect(runner.pending("u2")).toEqual([]);
    calls[0]!.reject(new TypeError("Failed to fetch"));
    await done.catch(() => {});
    await tick();
    expect(runner.pending("u1").map((i) => i.label)).toEqual(["Create project “Launch”"]);
  });

  it("sends an intent never stored (a password change) with its key, persisting nothing, and keeps no copy to re-send", async () => {
    const { calls, storage, store, runner } = controlledSend();
    const change: PendingIntent = {
      ...intent,
      key: "pw-1",
      path: "auth.changePassword",
      input: { currentPassword: "correct horse 1", newPassword: "battery staple 2" },
      label: "Change your password",
    };
    const first = runner.run(change);
    expect(calls[0]!.persistedAtSend).toEqual([]);
    expect(calls[0]!.intent.key).toBe("pw-1");
    calls[0]!.reject(new TypeError("Failed to fetch"));
    await expect(first).rejects.toThrow("Failed to fetch");
    expect(storage.length).toBe(0);
    expect(store.list("u1")).toEqual([]);
    expect(runner.pending("u1")).toEqual([]);
    // The form still holds the intent: sending it again carries the same key.
    void runner.run(change).catch(() => {});
    expect(calls[1]!.intent.key).toBe("pw-1");
    expect(storage.length).toBe(0);
  });
});
