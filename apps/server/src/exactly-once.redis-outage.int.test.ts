import { loadConfig } from "@trellis/config";
import { createRedisKv, type Kv } from "@trellis/kv";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, newKey } from "../test/http.js";
import { startTcpProxy, type TcpProxy } from "../test/tcp-proxy.js";
import { type Peer, startPeer, startTestServer, type TestServer } from "./testing.js";

// Needs a real Redis: this file runs when REDIS_URL is set (CI's second run) and fails, not
// skips, if that Redis is down. In embedded mode there is no Redis to lose.
const { redisUrl } = loadConfig();

describe.runIf(redisUrl)("Redis outage", () => {
  let base: TestServer;
  let proxy: TcpProxy;
  let proxiedKv: Kv;
  let peer: Peer;
  let url: string;
  let token: string;

  beforeAll(async () => {
    base = await startTestServer();
    const upstream = new URL(redisUrl!);
    proxy = await startTcpProxy(upstream.hostname, Number(upstream.port || 6379));
    proxiedKv = createRedisKv({ url: `redis://127.0.0.1:${proxy.port}`, prefix: base.kvPrefix });
    await proxiedKv.ping();
    peer = await startPeer(base, { kv: proxiedKv });
    url = peer.url;
    token = await base.tokenFor("editor");
  });

  afterAll(async () => {
    await peer?.close();
    await proxiedKv?.close();
    await base?.close();
  });

  it("keeps exactly-once when Redis vanishes during a burst of duplicates", async () => {
    const key = newKey();
    const name = `Outage ${key}`;
    const burst = Array.from({ length: 30 }, async (_, i) => {
      await new Promise((r) => setTimeout(r, i * 5));
      return call(`${url}/api/v1/projects`, { token, key, body: { name } });
    });
    setTimeout(() => void proxy.cut(), 40);
    const replies = await Promise.all(burst);
    expect(replies.map((r) => r.status).filter((s) => s !== 200 && s !== 409)).toEqual([]);
    const ids = new Set(replies.filter((r) => r.status === 200).map((r) => r.body.id));
    expect(ids.size).toBe(1);
    const list = await call(`${base.url}/api/v1/projects?q=${encodeURIComponent(name)}`, { token });
    expect(list.body.items).toHaveLength(1);
    // With Redis still gone, a later retry replays from Postgres.
    const later = await call(`${url}/api/v1/projects`, { token, key, body: { name } });
    expect(later.status).toBe(200);
    expect(later.headers.get("idempotent-replayed")).toBe("true");
    expect(later.body.id).toBe([...ids][0]);
  });

  it("replays from Postgres after Redis is flushed", async () => {
    const key = newKey();
    const name = `Flushed ${key}`;
    const first = await call(`${base.url}/api/v1/projects`, { token, key, body: { name } });
    expect(first.status).toBe(200);
    // Flush this server's keys (a FLUSHALL would disturb test files running beside this one).
    const redis = new Redis(redisUrl!);
    try {
      const keys = await redis.keys(`${base.kvPrefix}*`);
      expect(keys.length).toBeGreaterThan(0);
      await redis.del(...keys);
    } finally {
      redis.disconnect();
    }
    const replay = await call(`${base.url}/api/v1/projects`, { token, key, body: { name } });
    expect(replay.status).toBe(200);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.body).toEqual(first.body);
  });
});
