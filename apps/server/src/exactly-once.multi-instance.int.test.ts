import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, newKey } from "../test/http.js";
import { type Peer, startPeer, startTestServer, type TestServer } from "./testing.js";

// Instance A comes from the test fixture; B is a peer on the same database and kv store.
let a: TestServer;
let b: Peer;
let bUrl: string;
let token: string;

beforeAll(async () => {
  a = await startTestServer();
  b = await startPeer(a);
  bUrl = b.url;
  token = await a.tokenFor("editor");
});

afterAll(async () => {
  await b?.close();
  await a?.close();
});

describe("two server instances", () => {
  it("apply duplicates spread across both exactly once", async () => {
    const key = newKey();
    const name = `Two instances ${key}`;
    const replies = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        call(`${i % 2 ? bUrl : a.url}/api/v1/projects`, { token, key, body: { name, tags: ["multi"] } }),
      ),
    );
    const statuses = replies.map((r) => r.status);
    expect(statuses.every((s) => s === 200 || s === 409)).toBe(true);
    for (const r of replies.filter((r) => r.status === 409)) expect(r.body.data.reason).toBe("IDEMPOTENCY_IN_PROGRESS");
    const ids = new Set(replies.filter((r) => r.status === 200).map((r) => r.body.id));
    expect(ids.size).toBe(1);
    expect(replies.filter((r) => r.headers.get("idempotent-replayed") === "true").length).toBe(
      replies.filter((r) => r.status === 200).length - 1,
    );

    const list = await call(`${bUrl}/api/v1/projects?q=${encodeURIComponent(name)}`, { token });
    expect(list.body.items).toHaveLength(1);
    // After the dust settles, both instances replay the same result.
    for (const url of [a.url, bUrl]) {
      const again = await call(`${url}/api/v1/projects`, { token, key, body: { name, tags: ["multi"] } });
      expect(again.status).toBe(200);
      expect(again.headers.get("idempotent-replayed")).toBe("true");
      expect(again.body.id).toBe([...ids][0]);
    }
  });

  it("do not share a key between users", async () => {
    const key = newKey();
    const adminToken = await a.tokenFor("admin");
    const mine = await call(`${a.url}/api/v1/projects`, { token, key, body: { name: `Scoped ${key}` } });
    const theirs = await call(`${bUrl}/api/v1/projects`, { token: adminToken, key, body: { name: `Scoped ${key}` } });
    expect(mine.status).toBe(200);
    expect(theirs.status).toBe(200);
    expect(theirs.body.id).not.toBe(mine.body.id);
    expect(theirs.headers.get("idempotent-replayed")).toBeNull();
  });
});
