import { randomUUID } from "node:crypto";
import { idempotencyRecords, projects } from "@trellis/db";
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caught } from "../../test/harness.js";
import { createLimitHarness, type LimitHarness } from "../../test/limits.js";
import { defaultRateLimits, type RateLimitSettings } from "../rate-limit/settings.js";

let h: LimitHarness;
beforeAll(async () => {
  h = await createLimitHarness();
});
afterAll(() => h?.close());

type LimitOverrides = Partial<Omit<RateLimitSettings, "points">> & { points?: Partial<RateLimitSettings["points"]> };
const limits = (overrides: LimitOverrides): RateLimitSettings => ({
  ...defaultRateLimits,
  ...overrides,
  points: { ...defaultRateLimits.points, ...overrides.points },
});

async function projectCount() {
  const [row] = await h.db.db.select({ n: count() }).from(projects);
  return Number(row!.n);
}

describe("rate limit middleware", () => {
  it("gives each role its own budget per user", async () => {
    const s = await h.scope({ rateLimits: limits({ points: { viewer: 3, editor: 5, admin: 8 } }) });
    for (const [role, budget] of [
      ["viewer", 3],
      ["editor", 5],
      ["admin", 8],
    ] as const) {
      for (let i = 0; i < budget; i++) await s.call(role).caller.auth.me();
      const { caller, headers } = s.call(role);
      const err = await caught(caller.auth.me());
      expect({ role, code: err.code, reason: err.reason }).toEqual({ role, code: "TOO_MANY_REQUESTS", reason: "RATE_LIMITED" });
      const retryAfter = Number(headers["retry-after"]);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(err.details?.retryAfterSeconds).toBe(retryAfter);
    }
  });

  it("charges writes more than reads, and a refused write changes nothing", async () => {
    const s = await h.scope({ rateLimits: limits({ points: { editor: 5 }, readCost: 1, writeCost: 2 }) });
    const editor = () => s.call("editor").caller;
    await editor().project.create({ name: "Budget 1" }); // 2
    await editor().project.create({ name: "Budget 2" }); // 4
    const before = await projectCount();
    const err = await caught(editor().project.create({ name: "Budget 3" })); // would be 6
    expect(err.reason).toBe("RATE_LIMITED");
    expect(await projectCount()).toBe(before);
    // The refused write still counted (6 of 5), so even a read is refused now.
    expect((await caught(editor().project.list({}))).reason).toBe("RATE_LIMITED");

    // With one point left, a read fits where a write does not.
    const t = await h.scope({ rateLimits: limits({ points: { editor: 3 }, readCost: 1, writeCost: 2 }) });
    await t.call("editor").caller.project.create({ name: "Budget 4" }); // 2
    expect((await caught(t.call("editor").caller.project.create({ name: "Budget 5" }))).reason).toBe("RATE_LIMITED"); // 4
    const u = await h.scope({ rateLimits: limits({ points: { editor: 3 }, readCost: 1, writeCost: 2 }) });
    await u.call("editor").caller.project.create({ name: "Budget 6" }); // 2
    await u.call("editor").caller.project.list({}); // 3
  });

  it("keeps users apart: one user's burst does not spend another's budget", async () => {
    const s = await h.scope({ rateLimits: limits({ points: { editor: 2, admin: 2 } }) });
    await s.call("editor").caller.auth.me();
    await s.call("editor").caller.auth.me();
    expect((await caught(s.call("editor").caller.auth.me())).reason).toBe("RATE_LIMITED");
    expect((await s.call("admin").caller.auth.me()).role).toBe("admin");
  });

  it("limits signed-out callers per client IP, before answering that they must sign in", async () => {
    const s = await h.scope({ rateLimits: limits({ points: { anonymous: 2 } }) });
    const fromA = () => s.call(null, { clientIp: "198.51.100.7" }).caller;
    for (let i = 0; i < 2; i++) expect((await caught(fromA().auth.me())).reason).toBe("SIGNED_OUT");
    expect((await caught(fromA().auth.me())).reason).toBe("RATE_LIMITED");
    expect((await caught(fromA().auth.login({ email: "x@test.local", password: "nope" }))).reason).toBe("RATE_LIMITED");
    // Another address is another budget.
    expect((await caught(s.call(null, { clientIp: "198.51.100.8" }).caller.auth.me())).reason).toBe("SIGNED_OUT");
    // A signed-in user behind the same address is not affected.
    expect((await s.call("viewer", { clientIp: "198.51.100.7" }).caller.auth.me()).role).toBe("viewer");
  });

  it("puts API-token principals on the token tier, apart from the same user's session", async () => {
    const s = await h.scope({ rateLimits: limits({ points: { token: 2, editor: 100 } }) });
    const token = { ...h.principal("editor"), kind: "token" as const, tokenId: randomUUID() };
    await s.call(token).caller.auth.me();
    await s.call(token).caller.auth.me();
    expect((await caught(s.call(token).caller.auth.me())).reason).toBe("RATE_LIMITED");
    expect((await s.call("editor").caller.auth.me()).role).toBe("editor");
    // Another token of the same user has its own budget.
    expect((await s.call({ ...token, tokenId: randomUUID() }).caller.auth.me()).role).toBe("editor");
  });

  // Regression: a viewer minted 3 read tokens and got 347 answers in 3.7 s against a 60-per-minute budget.
  it("counts a token's calls against its user's budget too, so more tokens buy no more requests", async () => {
    const s = await h.scope({ rateLimits: limits({ points: { viewer: 6, token: 100 } }) });
    const tokens = [1, 2, 3].map(() => ({ ...h.principal("viewer"), kind: "token" as const, tokenId: randomUUID() }));
    let answered = 0;
    let refused = 0;
    for (let round = 0; round < 10; round++) {
      for (const who of [...tokens, "viewer" as const]) {
        try {
          await s.call(who).caller.auth.me();
          answered++;
        } catch (e) {
          expect((e as { reason?: string }).reason).toBe("RATE_LIMITED");
          refused++;
        }
      }
    }
    expect({ answered, refused }).toEqual({ answered: 6, refused: 34 });
    // The refusal names the user's budget in its headers, which is the one that ran out.
    const rest = s.call(tokens[0]!, { surface: "rest" });
    await caught(rest.caller.auth.me());
    expect(rest.headers).toMatchObject({ "ratelimit-limit": "6", "ratelimit-remaining": "0" });
    expect(Number(rest.headers["retry-after"])).toBeGreaterThanOrEqual(1);
  });

  it("sets RateLimit-* on REST answers, successful or not, and Retry-After only when refusing", async () => {
    const s = await h.scope({ rateLimits: limits({ points: { viewer: 2 } }) });
    const first = s.call("viewer", { surface: "rest" });
    await first.caller.auth.me();
    expect(first.headers).toMatchObject({ "ratelimit-limit": "2", "ratelimit-remaining": "1" });
    expect(Number(first.headers["ratelimit-reset"])).toBeGreaterThanOrEqual(1);
    expect(first.headers).not.toHaveProperty("retry-after");

    const second = s.call("viewer", { surface: "rest" });
    await second.caller.auth.me();
    expect(second.headers["ratelimit-remaining"]).toBe("0");

    const refused = s.call("viewer", { surface: "rest" });
    expect((await caught(refused.caller.auth.me())).code).toBe("TOO_MANY_REQUESTS");
    expect(refused.headers).toMatchObject({ "ratelimit-limit": "2", "ratelimit-remaining": "0" });
    expect(Number(refused.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    expect(refused.headers["retry-after"]).toBe(refused.headers["ratelimit-reset"]);

    // tRPC answers carry Retry-After when refused, but no RateLimit-* (a batch shares one set of headers).
    const trpc = s.call("viewer", { surface: "trpc" });
    await caught(trpc.caller.auth.me());
    expect(trpc.headers).not.toHaveProperty("ratelimit-limit");
    expect(trpc.headers).toHaveProperty("retry-after");
  });

  it("does not limit server-side calls, nor anything when disabled", async () => {
    const s = await h.scope({ rateLimits: limits({ points: { viewer: 1 } }) });
    for (let i = 0; i < 5; i++) await s.call("viewer", { surface: "internal" }).caller.auth.me();
    const off = await h.scope({ rateLimits: limits({ enabled: false, points: { viewer: 1 } }) });
    for (let i = 0; i < 5; i++) await off.call("viewer").caller.auth.me();
    // The same budget over HTTP is enforced.
    await s.call("viewer").caller.auth.me();
    expect((await caught(s.call("viewer").caller.auth.me())).reason).toBe("RATE_LIMITED");
  });
});

describe("rate limits and idempotency", () => {
  it("never stores a refused mutation: the same key runs once the window has passed", async () => {
    const s = await h.scope({ rateLimits: limits({ windowSeconds: 1, points: { editor: 2 }, writeCost: 2 }) });
    const records = async (key: string) =>
      Number((await h.db.db.select({ n: count() }).from(idempotencyRecords).where(eq(idempotencyRecords.key, key)))[0]!.n);
    const named = async (name: string) => Number((await h.db.db.select({ n: count() }).from(projects).where(eq(projects.name, name)))[0]!.n);

    // One write fills the window, so a second is refused. Should the window roll over in between,
    // the second runs: try again with a new key (only a refused key is followed).
    let refused: { key: string; name: string; err: Awaited<ReturnType<typeof caught>>; headers: Record<string, string> } | undefined;
    for (let i = 0; i < 20 && !refused; i++) {
      await s.call("editor").caller.project.create({ name: `Fills the window ${i}` }).catch(() => undefined);
      const key = randomUUID();
      const name = `Refused then run ${key}`;
      const attempt = s.call("editor", { idempotencyKey: key });
      try {
        await attempt.caller.project.create({ name });
      } catch (e) {
        refused = { key, name, err: await caught(Promise.reject(e)), headers: attempt.headers };
      }
    }
    expect(refused).toBeDefined();
    const { key, name, err, headers } = refused!;
    expect(err.reason).toBe("RATE_LIMITED");
    expect(headers).not.toHaveProperty("idempotent-replayed");
    expect(await records(key)).toBe(0);
    expect(await named(name)).toBe(0);

    // Retry with the same key until the window has passed: it runs (not a replay of the 429).
    let retried: { id: string } | undefined;
    let retryHeaders: Record<string, string> = {};
    await expect
      .poll(
        async () => {
          const attempt = s.call("editor", { idempotencyKey: key });
          try {
            retried = await attempt.caller.project.create({ name });
            retryHeaders = attempt.headers;
            return "ran";
          } catch (e) {
            return (e as { reason?: string }).reason;
          }
        },
        { timeout: 10_000, interval: 250 },
      )
      .toBe("ran");
    expect(retryHeaders).not.toHaveProperty("idempotent-replayed");
    expect(await named(name)).toBe(1);
    expect(await records(key)).toBe(1);

    // And from now on that key replays the success.
    await expect.poll(async () => {
      const again = s.call("editor", { idempotencyKey: key });
      try {
        const replay = await again.caller.project.create({ name });
        return replay.id === retried!.id && again.headers["idempotent-replayed"] === "true";
      } catch {
        return false;
      }
    }, { timeout: 10_000, interval: 250 }).toBe(true);
    expect(await named(name)).toBe(1);
  });
});
