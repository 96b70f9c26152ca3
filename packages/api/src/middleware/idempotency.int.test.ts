import { randomUUID } from "node:crypto";
import { idempotencyRecords, projectEvents, projects } from "@trellis/db";
import { TRPCError } from "@trpc/server";
import { count, eq } from "drizzle-orm";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKeyedHarness, type KeyedHarness } from "../../test/keyed.js";
import { DomainError } from "../errors.js";
import { sweepExpired } from "../idempotency/store.js";

let h: KeyedHarness;
beforeAll(async () => {
  h = await createKeyedHarness();
});
afterAll(() => h?.close());

async function projectsNamed(name: string) {
  return h.db.db.select().from(projects).where(eq(projects.name, name));
}
async function eventCount(projectId: string) {
  const [row] = await h.db.db.select({ n: count() }).from(projectEvents).where(eq(projectEvents.projectId, projectId));
  return Number(row?.n);
}
async function failure(p: Promise<unknown>): Promise<TRPCError> {
  const r = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(r instanceof TRPCError)) throw new Error(`expected a TRPCError, got ${String(r)}`);
  return r;
}
const reasonOf = (e: TRPCError) => (e instanceof DomainError ? e.reason : undefined);

describe("idempotency middleware", () => {
  it("replays the stored result, byte for byte, marked as a replay; one row, one event", async () => {
    const key = randomUUID();
    const first = h.call("editor", { idempotencyKey: key });
    const created = await first.caller.project.create({ name: "Exactly once", tags: ["a"] });
    expect(first.response.headers["idempotent-replayed"]).toBeUndefined();

    const second = h.call("editor", { idempotencyKey: key });
    const replayed = await second.caller.project.create({ name: "Exactly once", tags: ["a"] });
    expect(second.response.headers["idempotent-replayed"]).toBe("true");
    expect(superjson.stringify(replayed)).toBe(superjson.stringify(created));

    const rows = await projectsNamed("Exactly once");
    expect(rows).toHaveLength(1);
    expect(await eventCount(created.id)).toBe(1);
    const [event] = await h.db.db.select().from(projectEvents).where(eq(projectEvents.projectId, created.id));
    expect(event?.idempotencyKey).toBe(key);
  });

  it("replays canonically equal input, rejects different input with 422, and scopes keys by user and procedure", async () => {
    const key = randomUUID();
    const created = await h.call("editor", { idempotencyKey: key }).caller.project.create({
      name: "Canonical",
      tags: ["x"],
      budgetCents: 5,
    });
    // Same input, other key order.
    const same = await h
      .call("editor", { idempotencyKey: key })
      .caller.project.create({ budgetCents: 5, tags: ["x"], name: "Canonical" });
    expect(same.id).toBe(created.id);

    const reused = await failure(h.call("editor", { idempotencyKey: key }).caller.project.create({ name: "Canonical 2" }));
    expect(reused.code).toBe("UNPROCESSABLE_CONTENT");
    expect(reasonOf(reused)).toBe("IDEMPOTENCY_KEY_REUSED");
    expect(await projectsNamed("Canonical 2")).toHaveLength(0);
    // The original still replays after the rejected reuse.
    expect((await h.call("editor", { idempotencyKey: key }).caller.project.create({ name: "Canonical", tags: ["x"], budgetCents: 5 })).id).toBe(created.id);

    // Another user with the same key runs fresh.
    const admins = await h.call("admin", { idempotencyKey: key }).caller.project.create({ name: "Canonical" });
    expect(admins.id).not.toBe(created.id);
    // The same key on another procedure runs fresh too.
    const archived = await h.call("editor", { idempotencyKey: key }).caller.project.archive({ id: created.id, expectedVersion: 1 });
    expect(archived.version).toBe(2);
    expect(await projectsNamed("Canonical")).toHaveLength(2);
  });

  it("lets exactly one of 50 concurrent duplicates run; the rest replay or are told it is in progress", async () => {
    const key = randomUUID();
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, () => h.call("editor", { idempotencyKey: key }).caller.project.create({ name: "Burst" })),
    );
    const ok = results.filter((r) => r.status === "fulfilled").map((r) => (r as PromiseFulfilledResult<{ id: string }>).value);
    const errors = results.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason as TRPCError);
    for (const e of errors) {
      expect(e.code).toBe("CONFLICT");
      expect(reasonOf(e)).toBe("IDEMPOTENCY_IN_PROGRESS");
    }
    expect(ok.length).toBeGreaterThan(0);
    expect(new Set(ok.map((p) => p.id)).size).toBe(1);
    expect(await projectsNamed("Burst")).toHaveLength(1);
  });

  it("stores neither validation failures nor unkeyed calls; a corrected request with the same key runs", async () => {
    const key = randomUUID();
    const invalid = await failure(h.call("editor", { idempotencyKey: key }).caller.project.create({ name: "" }));
    expect(invalid.code).toBe("BAD_REQUEST");
    const [stored] = await h.db.db.select({ n: count() }).from(idempotencyRecords).where(eq(idempotencyRecords.key, key));
    expect(Number(stored?.n)).toBe(0);
    const fixed = await h.call("editor", { idempotencyKey: key }).caller.project.create({ name: "Corrected" });
    expect(fixed.name).toBe("Corrected");
  });

  it("replays a stored version conflict, and a retried update replays its own success instead of conflicting", async () => {
    const p = await h.call("editor", { idempotencyKey: randomUUID() }).caller.project.create({ name: "Versioned" });
    const saveKey = randomUUID();
    const saved = await h.call("editor", { idempotencyKey: saveKey }).caller.project.update({ id: p.id, expectedVersion: 1, patch: { status: "active" } });
    const retried = await h.call("editor", { idempotencyKey: saveKey }).caller.project.update({ id: p.id, expectedVersion: 1, patch: { status: "active" } });
    expect(retried).toEqual(saved);
    expect(retried.version).toBe(2);

    const staleKey = randomUUID();
    const conflict = await failure(
      h.call("editor", { idempotencyKey: staleKey }).caller.project.update({ id: p.id, expectedVersion: 1, patch: { name: "Stale" } }),
    );
    expect(reasonOf(conflict)).toBe("VERSION_CONFLICT");
    // The project moves on; the keyed request still gets the conflict it got the first time.
    await h.call("editor").caller.project.update({ id: p.id, expectedVersion: 2, patch: { name: "Moved on" } });
    const again = await failure(
      h.call("editor", { idempotencyKey: staleKey }).caller.project.update({ id: p.id, expectedVersion: 1, patch: { name: "Stale" } }),
    );
    expect(reasonOf(again)).toBe("VERSION_CONFLICT");
    expect((again as DomainError).details.currentVersion).toBe(2);
    expect(await eventCount(p.id)).toBe(3);
  });

  it("rejects malformed keys and keys on batched calls, and enforces the per-procedure key policy", async () => {
    for (const bad of ["", "x".repeat(256), "naïve", "tab\tkey"]) {
      const e = await failure(h.call("editor", { idempotencyKey: bad }).caller.project.create({ name: "Bad key" }));
      expect(e.code).toBe("BAD_REQUEST");
      expect(reasonOf(e)).toBe("IDEMPOTENCY_KEY_INVALID");
    }
    const batched = await failure(h.call("editor", { idempotencyKey: "k", callsInRequest: 2 }).caller.project.create({ name: "Bad key" }));
    expect(reasonOf(batched)).toBe("IDEMPOTENCY_KEY_IN_BATCH");
    const rest = await failure(h.call("editor", { surface: "rest" }).caller.project.create({ name: "Bad key" }));
    expect(reasonOf(rest)).toBe("IDEMPOTENCY_KEY_REQUIRED");
    expect(await projectsNamed("Bad key")).toHaveLength(0);
    // Optional elsewhere: an unkeyed tRPC create runs.
    expect((await h.call("editor", { surface: "trpc" }).caller.project.create({ name: "Unkeyed" })).version).toBe(1);
  });

  it("replays until the record expires, runs fresh after, and the sweeper removes expired records", async () => {
    const key = randomUUID();
    const first = await h.call("editor", { idempotencyKey: key }).caller.project.create({ name: "Expiring" });
    h.clock.advance(24 * 3600_000 - 1);
    const before = h.call("editor", { idempotencyKey: key });
    expect((await before.caller.project.create({ name: "Expiring" })).id).toBe(first.id);
    expect(before.response.headers["idempotent-replayed"]).toBe("true");

    h.clock.advance(2);
    const after = h.call("editor", { idempotencyKey: key });
    const fresh = await after.caller.project.create({ name: "Expiring" });
    expect(fresh.id).not.toBe(first.id);
    expect(after.response.headers["idempotent-replayed"]).toBeUndefined();

    // Everything stored before the jump is now expired; the fresh record is not.
    h.clock.advance(1);
    const [{ n: total } = { n: 0 }] = await h.db.db.select({ n: count() }).from(idempotencyRecords);
    const swept = await sweepExpired(h.db.db, h.clock.now, 2);
    expect(swept).toBe(Number(total) - 1);
    const left = await h.db.db.select().from(idempotencyRecords);
    expect(left.map((r) => r.key)).toEqual([key]);
  });
});
