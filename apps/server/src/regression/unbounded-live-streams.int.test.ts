import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSubscription, type OpenStream } from "../../test/trpc-http.js";
import { type Peer, startPeer, startTestServer, type TestServer } from "../testing.js";

// One viewer opened 300 project.changes SSE streams, each polling the database every 5 s and
// exempt from the request timeout. Over HTTP, on two instances sharing Postgres and the kv store
// (Redis in CI), a user's streams are now capped over all their credentials and instances, and
// each instance caps its own total.

let a: TestServer;
let b: Peer;
beforeAll(async () => {
  a = await startTestServer({ config: { LIVE_STREAMS_PER_USER: "2", LIVE_STREAMS_PER_INSTANCE: "3" } });
  b = await startPeer(a);
});
afterAll(async () => {
  await b?.close();
  await a?.close();
});

const changes = (url: string, bearer: string) => openSubscription(url, "project.changes", {}, { bearer });

describe("live-update streams over HTTP", () => {
  it("refuse a user's third stream on any instance with 429 STREAM_LIMIT_REACHED, and a closed one frees a place", async () => {
    const [viewer, alsoViewer] = [await a.tokenFor("viewer"), await a.tokenFor("viewer")];
    const open: OpenStream[] = [];
    try {
      open.push(await changes(a.url, viewer), await changes(b.url, alsoViewer));
      for (const s of open) expect(s.first.data).toMatchObject({ type: "ready" });

      for (const url of [a.url, b.url]) {
        const refused = await changes(url, viewer);
        await refused.close();
        expect(refused.first.status).toBe(429);
        expect(refused.first.error?.data).toMatchObject({ reason: "STREAM_LIMIT_REACHED", limit: 2 });
        expect(refused.first.error?.message).toMatch(/2 live-update streams/);
      }

      await open.shift()?.close();
      await expect
        .poll(async () => {
          const again = await changes(b.url, viewer);
          if (again.first.status === 200) open.push(again);
          else await again.close();
          return again.first.status;
        })
        .toBe(200);
    } finally {
      for (const s of open) await s.close();
    }
  });

  it("refuse streams beyond an instance's total while another instance still serves them", async () => {
    const tokens = [await a.tokenFor("viewer"), await a.tokenFor("editor"), await a.tokenFor("admin")];
    const open: OpenStream[] = [];
    try {
      // Wait for the first test's streams to be gone from this instance.
      await expect
        .poll(async () => {
          for (const s of open.splice(0)) await s.close();
          for (const t of tokens) open.push(await changes(a.url, t));
          return open.map((s) => s.first.status);
        })
        .toEqual([200, 200, 200]);
      const refused = await changes(a.url, await a.tokenFor("admin"));
      await refused.close();
      expect(refused.first.status).toBe(429);
      expect(refused.first.error?.data).toMatchObject({ reason: "STREAM_LIMIT_REACHED", limit: 3, retryAfterSeconds: 5 });
      const elsewhere = await changes(b.url, await a.tokenFor("admin"));
      open.push(elsewhere);
      expect(elsewhere.first.status).toBe(200);
    } finally {
      for (const s of open) await s.close();
    }
  });
});
