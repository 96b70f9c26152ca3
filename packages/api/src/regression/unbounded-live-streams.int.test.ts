import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caught, createHarness, type Harness, sessions } from "../../test/harness.js";
import type { Principal } from "../auth/session.js";
import { createContextInner, createServices, defaultLimits, type Services } from "../context.js";
import { createCaller } from "../router.js";

// One viewer opened 300 project.changes streams, each polling the database every 5 s and exempt
// from the request timeout. Streams are now capped per user (over all their sessions and
// tokens, across instances) and per instance: STREAM_LIMIT_REACHED (429) beyond either.

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h?.close());

interface Open {
  first: Promise<unknown>;
  /** Ends the stream as the SSE host does when the client goes: abort, then return(). */
  close(): Promise<void>;
}

/** Opens a stream and reads its first message ("ready", or the refusal). */
async function open(services: Services, principal: Principal): Promise<Open> {
  const controller = new AbortController();
  const caller = createCaller(createContextInner({ db: h.db.db, kv: h.kv, sessions, services, principal, surface: "trpc" }), {
    signal: controller.signal,
  });
  const iterator = (await caller.project.changes({}))[Symbol.asyncIterator]();
  const first = iterator.next().then((r) => (r.value as unknown as [string, unknown])[1]);
  first.catch(() => {});
  return {
    first,
    async close() {
      controller.abort();
      await iterator.return?.();
    },
  };
}

describe("live-update streams", () => {
  it("are capped per user across sessions and tokens, and a closed stream frees its place", async () => {
    const services = createServices({ limits: { ...defaultLimits, liveStreamsPerUser: 3, liveStreamsPerInstance: 100 } });
    const viewer = h.users.viewer;
    const asToken = { ...viewer, kind: "token" as const, tokenId: "00000000-0000-4000-8000-00000000000a", scope: "read" as const };
    const held = [await open(services, viewer), await open(services, asToken), await open(services, viewer)];
    for (const s of held) expect(await s.first).toMatchObject({ type: "ready" });

    const refused = await open(services, viewer);
    const err = await caught(refused.first);
    expect(err).toMatchObject({ code: "TOO_MANY_REQUESTS", reason: "STREAM_LIMIT_REACHED", details: { limit: 3 } });
    expect(err.message).toMatch(/3 live-update streams/);
    expect((await caught((await open(services, asToken)).first)).reason).toBe("STREAM_LIMIT_REACHED");

    // Another user is not affected.
    const editor = await open(services, h.users.editor);
    expect(await editor.first).toMatchObject({ type: "ready" });

    await held[0]!.close();
    const next = await open(services, viewer);
    expect(await next.first).toMatchObject({ type: "ready" });
    for (const s of [...held.slice(1), next, editor]) await s.close();
  });

  it("are capped per instance whoever opens them", async () => {
    const services = createServices({ limits: { ...defaultLimits, liveStreamsPerUser: 10, liveStreamsPerInstance: 2 } });
    const a = await open(services, h.users.viewer);
    const b = await open(services, h.users.editor);
    await Promise.all([a.first, b.first]);
    const err = await caught((await open(services, h.users.admin)).first);
    expect(err).toMatchObject({ code: "TOO_MANY_REQUESTS", reason: "STREAM_LIMIT_REACHED", details: { limit: 2, retryAfterSeconds: 5 } });
    // Another instance (its own services) has its own places.
    const elsewhere = await open(createServices({ limits: services.limits }), h.users.admin);
    expect(await elsewhere.first).toMatchObject({ type: "ready" });
    for (const s of [a, b, elsewhere]) await s.close();
  });
});
