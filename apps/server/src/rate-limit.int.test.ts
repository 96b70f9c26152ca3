import { loadConfig } from "@trellis/config";
import { createRedisKv } from "@trellis/kv";
import { describe, expect, it } from "vitest";
import { call, type JsonReply, newKey } from "../test/http.js";
import { startPeer, startTestServer } from "./testing.js";

const { redisUrl } = loadConfig();

const trpcGet = async (url: string, path: string, token: string) => {
  const res = await fetch(`${url}/trpc/${path}`, { headers: { authorization: `Bearer ${token}` } });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: JSON.parse(text) } as JsonReply;
};

/** Checks the headers every REST answer carries, and those of a refusal. */
function expectLimitHeaders(r: JsonReply, limit: number) {
  expect(r.headers.get("ratelimit-limit")).toBe(String(limit));
  const remaining = Number(r.headers.get("ratelimit-remaining"));
  const reset = Number(r.headers.get("ratelimit-reset"));
  expect(Number.isInteger(remaining) && remaining >= 0 && remaining < limit).toBe(true);
  expect(Number.isInteger(reset) && reset >= 0 && reset <= 60).toBe(true);
  if (r.status === 429) {
    expect(remaining).toBe(0);
    expect(r.headers.get("retry-after")).toBe(String(Math.max(1, reset)));
    expect(r.body).toMatchObject({ code: "TOO_MANY_REQUESTS", data: { httpStatus: 429, reason: "RATE_LIMITED" } });
    expect(r.body.data.retryAfterSeconds).toBe(Number(r.headers.get("retry-after")));
  } else {
    expect(r.headers.get("retry-after")).toBeNull();
  }
}

describe("load: a burst 10x over one user's budget", () => {
  it("gets 429s with Retry-After and RateLimit-* while another user keeps being served", async () => {
    const LIMIT = 20;
    await using t = await startTestServer({ config: { RATE_LIMIT_EDITOR: String(LIMIT), RATE_LIMIT_VIEWER: String(LIMIT) } });
    await t.kv.ping();
    const [noisy, quiet] = await Promise.all([t.tokenFor("editor"), t.tokenFor("viewer")]);

    // 200 reads from the noisy user over both surfaces, with 10 from the quiet one spread through them.
    const burst = Array.from({ length: LIMIT * 10 }, (_, i) =>
      i % 4 === 3 ? trpcGet(t.url, "auth.me", noisy) : call(`${t.url}/api/v1/projects?limit=1`, { token: noisy }),
    );
    const quietCalls = Array.from({ length: 10 }, (_, i) =>
      new Promise((r) => setTimeout(r, i * 10)).then(() => call(`${t.url}/api/v1/auth/me`, { token: quiet })),
    );
    const [noisyReplies, quietReplies] = await Promise.all([Promise.all(burst), Promise.all(quietCalls)]);

    const statuses = noisyReplies.map((r) => r.status);
    expect(statuses.filter((s) => s !== 200 && s !== 429)).toEqual([]);
    expect(statuses.filter((s) => s === 200)).toHaveLength(LIMIT);
    expect(statuses.filter((s) => s === 429)).toHaveLength(LIMIT * 9);

    const rest = noisyReplies.filter((_, i) => i % 4 !== 3);
    for (const r of rest) expectLimitHeaders(r, LIMIT);
    // Each granted REST read saw a different remaining count: the counter is exact under concurrency.
    const remainingSeen = rest.filter((r) => r.status === 200).map((r) => Number(r.headers.get("ratelimit-remaining")));
    expect(new Set(remainingSeen).size).toBe(remainingSeen.length);

    for (const r of noisyReplies.filter((_, i) => i % 4 === 3 && _.status === 429)) {
      expect(r.body.error.json.data).toMatchObject({ code: "TOO_MANY_REQUESTS", httpStatus: 429, reason: "RATE_LIMITED" });
      expect(Number(r.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    }

    expect(quietReplies.map((r) => r.status)).toEqual(Array(10).fill(200));
    for (const r of quietReplies) expectLimitHeaders(r, LIMIT);
    expect(quietReplies.map((r) => Number(r.headers.get("ratelimit-remaining"))).sort((a, b) => b - a)).toEqual(
      Array.from({ length: 10 }, (_, i) => LIMIT - 1 - i),
    );
    expect((await fetch(`${t.url}/health`)).status).toBe(200);
  });
});

describe("budgets over HTTP", () => {
  it("never stores a refused write: a retry with the same key runs once the window has passed", async () => {
    await using t = await startTestServer({ config: { RATE_LIMIT_EDITOR: "4", RATE_LIMIT_WINDOW_SECONDS: "1" } });
    await t.kv.ping();
    const token = await t.tokenFor("editor");
    const create = (key: string, name: string) => call(`${t.url}/api/v1/projects`, { token, key, body: { name } });
    const named = async (name: string) =>
      (await call(`${t.url}/api/v1/projects?q=${encodeURIComponent(name)}`, { token, key: undefined })).body?.items?.length;

    // Two writes (2 points each) fill the window, so a third is refused. Should the window roll
    // over in between, the third runs: try again with a new key (only a refused key is followed).
    let refused: { key: string; name: string; reply: JsonReply } | undefined;
    for (let i = 0; i < 20 && !refused; i++) {
      await create(newKey(), `Filler ${i}`);
      await create(newKey(), `Filler ${i}b`);
      const key = newKey();
      const name = `Refused then run ${key}`;
      const reply = await create(key, name);
      if (reply.status === 429) refused = { key, name, reply };
    }
    expect(refused).toBeDefined();
    const { key, name, reply } = refused!;
    expect(reply.body.data.reason).toBe("RATE_LIMITED");
    expect(reply.headers.get("idempotent-replayed")).toBeNull();

    let ran: JsonReply | undefined;
    await expect
      .poll(async () => {
        ran = await create(key, name);
        return ran.status;
      }, { timeout: 10_000, interval: 200 })
      .toBe(200);
    // It ran (not a replay of the 429) and created the project once.
    expect(ran!.headers.get("idempotent-replayed")).toBeNull();
    expect(ran!.body.name).toBe(name);
    await expect.poll(() => named(name), { timeout: 10_000, interval: 200 }).toBe(1);
    await expect
      .poll(async () => (await create(key, name)).headers.get("idempotent-replayed"), { timeout: 10_000, interval: 200 })
      .toBe("true");
    await expect.poll(() => named(name), { timeout: 10_000, interval: 200 }).toBe(1);
  });

  it("limits signed-out callers per client IP, trusting X-Forwarded-For only from TRUST_PROXY", async () => {
    const signedOut = (url: string, forwardedFor: string) =>
      fetch(`${url}/api/v1/auth/me`, { headers: { "x-forwarded-for": forwardedFor } }).then((r) => r.status);

    await using direct = await startTestServer({ config: { RATE_LIMIT_ANONYMOUS: "2" } });
    // Not behind a trusted proxy: the header is ignored, every call is 127.0.0.1's.
    expect([await signedOut(direct.url, "198.51.100.1"), await signedOut(direct.url, "198.51.100.2")]).toEqual([401, 401]);
    expect(await signedOut(direct.url, "198.51.100.3")).toBe(429);

    await using proxied = await startTestServer({ config: { RATE_LIMIT_ANONYMOUS: "2", TRUST_PROXY: "127.0.0.1" } });
    expect([await signedOut(proxied.url, "198.51.100.1"), await signedOut(proxied.url, "198.51.100.1")]).toEqual([401, 401]);
    expect(await signedOut(proxied.url, "198.51.100.1")).toBe(429);
    expect(await signedOut(proxied.url, "198.51.100.2")).toBe(401);
  });

  it("throttles failed sign-ins with 429 LOGIN_THROTTLED and Retry-After on both surfaces", async () => {
    await using t = await startTestServer({ config: { LOGIN_FAILURES_PER_ACCOUNT: "2", LOGIN_SLOWDOWN_AFTER: "2" } });
    const { email, password } = t.users.editor;
    for (let i = 0; i < 2; i++) {
      expect((await call(`${t.url}/api/v1/auth/login`, { body: { email, password: "wrong" } })).status).toBe(401);
    }
    const rest = await call(`${t.url}/api/v1/auth/login`, { body: { email, password } });
    expect(rest.status).toBe(429);
    expect(rest.body.data).toMatchObject({ reason: "LOGIN_THROTTLED", httpStatus: 429 });
    expect(Number(rest.headers.get("retry-after"))).toBeGreaterThan(60);
    expect(rest.headers.get("set-cookie")).toBeNull();

    const trpc = await fetch(`${t.url}/trpc/auth.login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ json: { email, password } }),
    });
    expect(trpc.status).toBe(429);
    expect(Number(trpc.headers.get("retry-after"))).toBeGreaterThan(60);
    expect(((await trpc.json()) as { error: { json: { data: { reason: string } } } }).error.json.data.reason).toBe("LOGIN_THROTTLED");
  });
});

describe("budgets across instances", () => {
  // Needs a real Redis (the shared store): runs when REDIS_URL is set (CI's second run).
  describe.runIf(redisUrl)("on one Redis", () => {
    it("share one counter: a user's budget is spent once across both instances", async () => {
      await using a = await startTestServer({ config: { RATE_LIMIT_EDITOR: "10" } });
      const b = await startPeer(a);
      try {
        await Promise.all([a.kv.ping(), b.server.kv.ping()]);
        const token = await a.tokenFor("editor");
        const replies = await Promise.all(
          Array.from({ length: 30 }, (_, i) => call(`${i % 2 ? b.url : a.url}/api/v1/auth/me`, { token })),
        );
        expect(replies.filter((r) => r.status === 200)).toHaveLength(10);
        expect(replies.filter((r) => r.status === 429)).toHaveLength(20);
      } finally {
        await b.close();
      }
    });
  });

  it("keep limiting, per instance, while Redis is unreachable, and never answer 5xx for it", async () => {
    await using a = await startTestServer({ config: { RATE_LIMIT_EDITOR: "5" } });
    // Nothing listens on port 1: every Redis command of this instance fails at once.
    const deadRedis = createRedisKv({ url: "redis://127.0.0.1:1", prefix: a.kvPrefix });
    const b = await startPeer(a, { kv: deadRedis });
    try {
      const token = await a.tokenFor("editor");
      const replies = await Promise.all(Array.from({ length: 12 }, () => call(`${b.url}/api/v1/auth/me`, { token })));
      expect(replies.map((r) => r.status).sort()).toEqual([...Array(5).fill(200), ...Array(7).fill(429)]);
      for (const r of replies) expect(r.headers.get("ratelimit-limit")).toBe("5");
    } finally {
      await b.close();
      await deadRedis.close();
    }
  });
});
