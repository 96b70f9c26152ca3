import superjson from "superjson";
import { describe, expect, it } from "vitest";
import { FakeStorage } from "../../test/fake-storage";
import {
  createPendingIntentStore,
  INTENT_MAX_AGE_MS,
  INTENT_STORAGE_PREFIX,
  inputFingerprint,
  intentForSubmission,
  type PendingIntent,
} from "./pending-intents";

const T0 = Date.UTC(2026, 0, 10, 12);

function intent(overrides: Partial<PendingIntent> = {}): PendingIntent {
  return {
    key: "key-1",
    path: "project.create",
    input: { name: "Launch", tags: ["a"], dueDate: "2030-01-15" },
    label: "Create project “Launch”",
    userId: "user-a",
    createdAt: T0,
    ...overrides,
  };
}

describe("pending intent store", () => {
  it("round-trips an intent, input types included, under one entry per key", () => {
    const storage = new FakeStorage();
    const store = createPendingIntentStore(storage, { now: () => T0 + 1000 });
    const when = new Date("2026-01-02T03:04:05Z");
    const saved = intent({ input: { id: "p1", expectedVersion: 3, patch: { budgetCents: null }, at: when } });
    expect(store.save(saved)).toBe(true);
    expect([...storage.items.keys()]).toEqual([`${INTENT_STORAGE_PREFIX}key-1`]);

    const [loaded] = store.list("user-a");
    expect(loaded).toEqual(saved);
    expect((loaded!.input as { at: unknown }).at).toBeInstanceOf(Date);
  });

  it("lists only the signed-in user's intents, oldest first", () => {
    const storage = new FakeStorage();
    const store = createPendingIntentStore(storage, { now: () => T0 + 10_000 });
    store.save(intent({ key: "late", createdAt: T0 + 5000 }));
    store.save(intent({ key: "theirs", userId: "user-b" }));
    store.save(intent({ key: "early", createdAt: T0 }));
    expect(store.list("user-a").map((i) => i.key)).toEqual(["early", "late"]);
    expect(store.list("user-b").map((i) => i.key)).toEqual(["theirs"]);
  });

  it("removes an intent by key and leaves the others and unrelated entries alone", () => {
    const storage = new FakeStorage();
    storage.setItem("theme", "dark");
    const store = createPendingIntentStore(storage, { now: () => T0 });
    store.save(intent({ key: "a" }));
    store.save(intent({ key: "b" }));
    store.remove("a");
    store.remove("never-saved");
    expect(store.list("user-a").map((i) => i.key)).toEqual(["b"]);
    expect(storage.getItem("theme")).toBe("dark");
  });

  it("saving the same key again replaces the entry", () => {
    const storage = new FakeStorage();
    const store = createPendingIntentStore(storage, { now: () => T0 });
    store.save(intent());
    store.save(intent({ label: "Create project “Launch” (again)" }));
    expect(store.list("user-a").map((i) => i.label)).toEqual(["Create project “Launch” (again)"]);
    expect(storage.length).toBe(1);
  });

  it("drops intents older than the max age (the server keeps keys 24 h), whoever they belong to", () => {
    const storage = new FakeStorage();
    let now = T0;
    const store = createPendingIntentStore(storage, { now: () => now });
    store.save(intent({ key: "old" }));
    store.save(intent({ key: "old-other-user", userId: "user-b" }));
    store.save(intent({ key: "fresh", createdAt: T0 + 60 * 60 * 1000 }));
    now = T0 + INTENT_MAX_AGE_MS;
    expect(store.list("user-a").map((i) => i.key)).toEqual(["old", "fresh"]);
    now = T0 + INTENT_MAX_AGE_MS + 1;
    expect(store.list("user-a").map((i) => i.key)).toEqual(["fresh"]);
    expect([...storage.items.keys()]).toEqual([`${INTENT_STORAGE_PREFIX}fresh`]);
    expect(INTENT_MAX_AGE_MS).toBeLessThan(24 * 60 * 60 * 1000);
  });

  it("deletes entries it cannot read instead of failing", () => {
    const storage = new FakeStorage();
    const store = createPendingIntentStore(storage, { now: () => T0 });
    storage.setItem(`${INTENT_STORAGE_PREFIX}garbage`, "{not json");
    storage.setItem(`${INTENT_STORAGE_PREFIX}unknown-path`, JSON.stringify({ ...intent(), path: "user.delete", input: { json: {} } }));
    store.save(intent({ key: "good" }));
    expect(store.list("user-a").map((i) => i.key)).toEqual(["good"]);
    expect(storage.length).toBe(1);
  });

  it("reports a refused write and works without storage at all", () => {
    const storage = new FakeStorage();
    storage.full = true;
    expect(createPendingIntentStore(storage).save(intent())).toBe(false);
    const none = createPendingIntentStore(undefined);
    expect(none.save(intent())).toBe(false);
    expect(none.list("user-a")).toEqual([]);
    expect(() => none.remove("key-1")).not.toThrow();
  });
});

describe("secrets in pending intents", () => {
  // Passwords (auth.changePassword) and the intents whose answer is a secret shown once
  // (token.create, admin.users.invite) are kept in memory only: see intent-paths.ts.
  it("never writes an intent whose input or answer is a secret", () => {
    const storage = new FakeStorage();
    const store = createPendingIntentStore(storage, { now: () => T0 });
    const secretive = [
      intent({ key: "pw", path: "auth.changePassword", input: { currentPassword: "old secret 123", newPassword: "new secret 456" } }),
      intent({ key: "tok", path: "token.create", input: { name: "ci", scope: "read", expiresInDays: 30 } }),
      intent({ key: "inv", path: "admin.users.invite", input: { email: "a@b.c", name: "A", role: "viewer" } }),
    ];
    for (const pending of secretive) expect(store.save(pending)).toBe(false);
    expect(storage.length).toBe(0);
    expect(store.list("user-a")).toEqual([]);
    expect(store.save(intent({ key: "revoke", path: "token.revoke", input: { id: "t1" } }))).toBe(true);
    expect([...storage.items.values()].join()).not.toContain("secret");
  });

  it("drops a stored entry of a path that is never stored, unread (another build, a tampered storage)", () => {
    const storage = new FakeStorage();
    const store = createPendingIntentStore(storage, { now: () => T0 });
    const planted = { ...intent({ key: "pw", path: "auth.changePassword" }), input: superjson.serialize({ newPassword: "x".repeat(12) }) };
    storage.setItem(`${INTENT_STORAGE_PREFIX}pw`, JSON.stringify(planted));
    expect(store.list("user-a")).toEqual([]);
    expect(storage.length).toBe(0);
  });
});

describe("inputFingerprint", () => {
  it("is the same for the same content in any key order", () => {
    expect(inputFingerprint({ name: "A", tags: ["x", "y"], budgetCents: null })).toBe(
      inputFingerprint({ budgetCents: null, tags: ["x", "y"], name: "A" }),
    );
  });

  it("differs when the content differs", () => {
    const base = { id: "p", expectedVersion: 1, patch: { name: "A" } };
    expect(inputFingerprint(base)).not.toBe(inputFingerprint({ ...base, expectedVersion: 2 }));
    expect(inputFingerprint(base)).not.toBe(inputFingerprint({ ...base, patch: { name: "B" } }));
    expect(inputFingerprint({ tags: ["x", "y"] })).not.toBe(inputFingerprint({ tags: ["y", "x"] }));
    expect(inputFingerprint({ budgetCents: null })).not.toBe(inputFingerprint({}));
    expect(inputFingerprint({ at: new Date(0) })).not.toBe(inputFingerprint({ at: new Date(0).toISOString() }));
  });
});

describe("intentForSubmission", () => {
  let n = 0;
  const newKey = () => `key-${++n}`;

  it("starts an intent with a fresh key", () => {
    const { intent, replaced } = intentForSubmission(null, { name: "A" }, { newKey, now: 5 });
    expect(intent).toMatchObject({ key: expect.stringMatching(/^key-/), createdAt: 5 });
    expect(replaced).toBeNull();
  });

  it("keeps the key and start time when the same content is submitted again", () => {
    const first = intentForSubmission(null, { name: "A", tags: [] }, { newKey, now: 5 }).intent;
    const again = intentForSubmission(first, { tags: [], name: "A" }, { newKey, now: 9_000 });
    expect(again.intent).toBe(first);
    expect(again.replaced).toBeNull();
  });

  it("adopts an unconfirmed stored intent with the same content (the form filled in again after leaving)", () => {
    const stored = [intent({ key: "stored-b", input: { name: "B" }, createdAt: 3 }), intent({ key: "stored-a", input: { name: "A" }, createdAt: 4 })];
    const { intent: adopted, replaced } = intentForSubmission(null, { name: "A" }, { newKey, now: 9, stored });
    expect(adopted).toMatchObject({ key: "stored-a", createdAt: 4 });
    expect(replaced).toBeNull();
    expect(intentForSubmission(null, { name: "C" }, { newKey, now: 9, stored }).intent.key).toMatch(/^key-/);
  });

  it("makes other content a new intent and says which one it replaced", () => {
    const first = intentForSubmission(null, { name: "A" }, { newKey, now: 5 }).intent;
    const other = intentForSubmission(first, { name: "B" }, { newKey, now: 7 });
    expect(other.intent.key).not.toBe(first.key);
    expect(other.intent.createdAt).toBe(7);
    expect(other.replaced).toBe(first);
  });
});
