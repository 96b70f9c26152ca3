import { projectEvents } from "@trellis/db";
import { startTestServer, type TestServer } from "@trellis/server/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { createTrellisClient, type ResponseMeta, TRPCClientError } from "./index.js";

let t: TestServer;
let token: string;
beforeAll(async () => {
  t = await startTestServer();
  token = await t.tokenFor("editor");
});
afterAll(() => t?.close());

interface Sent {
  path: string;
  key: string | null;
}

/** A fetch that records what was sent and can fail chosen attempts, as a flaky network would. */
function flakyFetch(plan: Array<"drop-request" | "drop-response" | "ok">) {
  const sent: Sent[] = [];
  const fetchImpl: typeof fetch = async (input, init) => {
    const url = new URL(String(input instanceof Request ? input.url : input));
    const headers = new Headers(init?.headers);
    sent.push({ path: url.pathname.replace("/trpc/", ""), key: headers.get("idempotency-key") });
    const step = plan[sent.length - 1] ?? "ok";
    if (step === "drop-request") throw new TypeError("fetch failed (connection refused)");
    const res = await fetch(input, init);
    if (step === "drop-response") throw new TypeError("fetch failed (socket hang up)");
    return res;
  };
  return { sent, fetchImpl };
}

const names = async (name: string) => {
  const client = createTrellisClient({ url: t.url, token });
  return (await client.project.list.query({ q: name })).items;
};

describe("client keys and retries", () => {
  it("sends a fresh key with every mutation and records it on the audit event", async () => {
    const { sent, fetchImpl } = flakyFetch([]);
    const client = createTrellisClient({ url: t.url, token, fetch: fetchImpl });
    const a = await client.project.create.mutate({ name: "Key A" });
    const b = await client.project.create.mutate({ name: "Key B" });
    const keys = sent.filter((s) => s.path === "project.create").map((s) => s.key);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[0]).not.toBe(keys[1]);
    const [event] = await t.db.db.select().from(projectEvents).where(eq(projectEvents.projectId, a.id));
    expect(event?.idempotencyKey).toBe(keys[0]);
    expect(b.id).not.toBe(a.id);
  });

  it("retries a lost response with the same key and gets the original result, marked as a replay", async () => {
    const { sent, fetchImpl } = flakyFetch(["drop-response", "ok"]);
    const client = createTrellisClient({ url: t.url, token, fetch: fetchImpl, retry: { baseDelayMs: 10 } });
    const meta: ResponseMeta = {};
    const created = await client.project.create.mutate({ name: "Lost response" }, { context: { meta } });
    expect(sent).toHaveLength(2);
    expect(sent[0]!.key).toBe(sent[1]!.key);
    expect(meta).toMatchObject({ replayed: true, idempotencyKey: sent[0]!.key });
    expect((await names("Lost response")).map((p) => p.id)).toEqual([created.id]);
  });

  it("retries a request that never left, and honours a caller's own key", async () => {
    const { sent, fetchImpl } = flakyFetch(["drop-request", "drop-request", "ok"]);
    const client = createTrellisClient({ url: t.url, token, fetch: fetchImpl, retry: { baseDelayMs: 10 } });
    const meta: ResponseMeta = {};
    await client.project.create.mutate({ name: "Never left" }, { context: { idempotencyKey: "my-own-key-1", meta } });
    expect(sent.map((s) => s.key)).toEqual(["my-own-key-1", "my-own-key-1", "my-own-key-1"]);
    expect(meta.replayed).toBe(false);
    // The same key again (a caller's own retry) replays instead of creating a second project.
    const again = createTrellisClient({ url: t.url, token });
    const replayMeta: ResponseMeta = {};
    await again.project.create.mutate({ name: "Never left" }, { context: { idempotencyKey: "my-own-key-1", meta: replayMeta } });
    expect(replayMeta.replayed).toBe(true);
    expect(await names("Never left")).toHaveLength(1);
  });

  it("never retries a 4xx answer", async () => {
    const { sent, fetchImpl } = flakyFetch([]);
    const client = createTrellisClient({ url: t.url, token, fetch: fetchImpl, retry: { baseDelayMs: 10 } });
    const invalid = await client.project.create.mutate({ name: "" }).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(TRPCClientError);
    const p = await client.project.create.mutate({ name: "Conflict once" });
    await client.project.update.mutate({ id: p.id, expectedVersion: 1, patch: { name: "v2" } });
    const conflict = await client.project.update.mutate({ id: p.id, expectedVersion: 1, patch: { name: "v3" } }).catch((e: unknown) => e);
    expect((conflict as TRPCClientError<never>).data).toMatchObject({ httpStatus: 409 });
    const paths = sent.map((s) => s.path);
    expect(paths.filter((p) => p === "project.create")).toHaveLength(2);
    expect(paths.filter((p) => p === "project.update")).toHaveLength(2);
  });

  it("gives up after the configured attempts and reports the network error", async () => {
    const { sent, fetchImpl } = flakyFetch(["drop-request", "drop-request", "drop-request"]);
    const client = createTrellisClient({ url: t.url, token, fetch: fetchImpl, retry: { attempts: 3, baseDelayMs: 5 } });
    await expect(client.project.create.mutate({ name: "Unreachable" })).rejects.toThrow(/fetch failed/);
    expect(sent).toHaveLength(3);
    expect(new Set(sent.map((s) => s.key)).size).toBe(1);
    expect(await names("Unreachable")).toHaveLength(0);
  });

  it("retries only mutations when the app retries its queries itself (queries: false)", async () => {
    const { sent, fetchImpl } = flakyFetch(["drop-request", "drop-response", "ok"]);
    const client = createTrellisClient({ url: t.url, token, fetch: fetchImpl, retry: { queries: false, baseDelayMs: 10 } });
    // A query fails once, as it would for TanStack Query to retry: the client does not retry it.
    await expect(client.project.list.query({ q: "Mutations only" })).rejects.toThrow(/fetch failed/);
    expect(sent.map((s) => s.path)).toEqual(["project.list"]);
    // A mutation whose response is lost is still retried, with its key, and replays.
    const meta: ResponseMeta = {};
    const created = await client.project.create.mutate({ name: "Mutations only" }, { context: { meta } });
    const creates = sent.filter((s) => s.path === "project.create");
    expect(creates).toHaveLength(2);
    expect(creates[0]!.key).toBe(creates[1]!.key);
    expect(meta.replayed).toBe(true);
    expect((await names("Mutations only")).map((p) => p.id)).toEqual([created.id]);
  });

  it("waits out a rate limit and retries with the same key", async () => {
    // Two writes per 3 s window for the editor: the third create is refused with Retry-After.
    const limited = await startTestServer({
      config: { RATE_LIMIT_EDITOR: "4", RATE_LIMIT_WRITE_COST: "2", RATE_LIMIT_WINDOW_SECONDS: "3" },
    });
    onTestFinished(() => limited.close());
    const limitedToken = await limited.tokenFor("editor");
    const { sent, fetchImpl } = flakyFetch([]);
    const client = createTrellisClient({ url: limited.url, token: limitedToken, fetch: fetchImpl, retry: { attempts: 4, baseDelayMs: 10 } });
    for (const n of [1, 2, 3]) await client.project.create.mutate({ name: `Limited ${n}` });
    const creates = sent.filter((s) => s.path === "project.create");
    expect(creates.length).toBeGreaterThan(3);
    // Every retry reused its call's key: three intents, three keys.
    expect(new Set(creates.map((c) => c.key)).size).toBe(3);
    const page = await createTrellisClient({ url: limited.url, token: limitedToken }).project.list.query({ q: "Limited" });
    expect(page.items).toHaveLength(3);
  });
});
