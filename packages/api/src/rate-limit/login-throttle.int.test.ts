import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caught } from "../../test/harness.js";
import { createLimitHarness, type LimitHarness } from "../../test/limits.js";
import { lockSecondsAfter } from "./login-throttle.js";
import { defaultLoginThrottle, defaultRateLimits, type LoginThrottleSettings } from "./settings.js";

let h: LimitHarness;
beforeAll(async () => {
  h = await createLimitHarness();
});
afterAll(() => h?.close());

/** A fresh store with these throttle settings; budgets high enough never to interfere. */
async function throttled(settings: Partial<LoginThrottleSettings>) {
  const s = await h.scope({
    loginThrottle: { ...defaultLoginThrottle, ...settings },
    rateLimits: { ...defaultRateLimits, points: { viewer: 10_000, editor: 10_000, admin: 10_000, token: 10_000, anonymous: 10_000 } },
  });
  const login = (email: string, password: string, clientIp = "203.0.113.1") => {
    const { caller, headers } = s.call(null, { clientIp });
    return { result: caller.auth.login({ email, password }), headers };
  };
  return { ...s, login };
}

const WRONG = "not the password";

describe("lockSecondsAfter", () => {
  it("waits nothing, then 1 s, 2 s, 4 s ... doubling, then blocks", () => {
    expect(Array.from({ length: 11 }, (_, i) => lockSecondsAfter(i, defaultLoginThrottle))).toEqual([0, 0, 0, 0, 0, 1, 2, 4, 8, 16, 900]);
    // A cool-down never exceeds the block.
    expect(lockSecondsAfter(12, { ...defaultLoginThrottle, slowdownAfter: 1, failuresPerAccount: 20, blockSeconds: 60 })).toBe(60);
  });
});

describe("sign-in throttling", () => {
  it("blocks an (email, IP) pair after consecutive failures, known and unknown emails alike", async () => {
    const t = await throttled({ failuresPerAccount: 3, slowdownAfter: 3, blockSeconds: 120 });
    const known = h.users.editor;
    const messages: Record<string, string[]> = { known: [], unknown: [] };
    for (const [label, email] of [
      ["known", known.email],
      ["unknown", "ghost@test.local"],
    ] as const) {
      for (let i = 0; i < 3; i++) {
        const err = await caught(t.login(email, WRONG).result);
        expect(err.reason).toBe("INVALID_CREDENTIALS");
        messages[label]!.push(err.message);
      }
      // Now even the right password waits, with Retry-After.
      const attempt = t.login(email, known.password);
      const err = await caught(attempt.result);
      expect({ label, code: err.code, reason: err.reason }).toEqual({ label, code: "TOO_MANY_REQUESTS", reason: "LOGIN_THROTTLED" });
      const retryAfter = Number(attempt.headers["retry-after"]);
      expect(retryAfter).toBeGreaterThan(60);
      expect(retryAfter).toBeLessThanOrEqual(120);
      expect(err.details?.retryAfterSeconds).toBe(retryAfter);
      messages[label]!.push(err.message.replace(/\d+ s$/, "N s"));
    }
    // Nothing in the answers tells a known email from an unknown one.
    expect(messages.unknown).toEqual(messages.known);
  });

  it("does not lock the owner out from another address", async () => {
    const t = await throttled({ failuresPerAccount: 2, slowdownAfter: 2, blockSeconds: 120 });
    const { email, password } = h.users.viewer;
    await caught(t.login(email, WRONG, "203.0.113.66").result);
    await caught(t.login(email, WRONG, "203.0.113.66").result);
    expect((await caught(t.login(email, password, "203.0.113.66").result)).reason).toBe("LOGIN_THROTTLED");
    expect((await t.login(email, password, "203.0.113.2").result).user.email).toBe(email);
  });

  it("matches the email case-insensitively", async () => {
    const t = await throttled({ failuresPerAccount: 2, slowdownAfter: 2, blockSeconds: 120 });
    const { email, password } = h.users.viewer;
    await caught(t.login(email.toUpperCase(), WRONG).result);
    await caught(t.login(email, WRONG).result);
    expect((await caught(t.login(email, password).result)).reason).toBe("LOGIN_THROTTLED");
  });

  it("starts counting again after a success", async () => {
    const t = await throttled({ failuresPerAccount: 3, slowdownAfter: 3, blockSeconds: 120 });
    const { email, password } = h.users.admin;
    await caught(t.login(email, WRONG).result);
    await caught(t.login(email, WRONG).result);
    expect((await t.login(email, password).result).user.role).toBe("admin");
    await caught(t.login(email, WRONG).result);
    expect((await caught(t.login(email, WRONG).result)).reason).toBe("INVALID_CREDENTIALS");
    expect((await t.login(email, password).result).user.role).toBe("admin");
  });

  /**
   * Runs `fail` (failures that lead to a short wait), then signs in at once with the right
   * password, expecting LOGIN_THROTTLED. Should the wait already be over (a slow machine),
   * that sign-in succeeds and resets the count: then it tries again.
   */
  async function throttledRightAfter(t: Awaited<ReturnType<typeof throttled>>, fail: () => Promise<void>, ip?: string) {
    const { email, password } = h.users.editor;
    for (let i = 0; i < 5; i++) {
      await fail();
      const early = t.login(email, password, ip);
      try {
        await early.result;
      } catch (e) {
        expect((e as { reason?: string }).reason).toBe("LOGIN_THROTTLED");
        return early.headers;
      }
    }
    throw new Error("never throttled");
  }

  const eventually = (t: Awaited<ReturnType<typeof throttled>>, ip?: string) =>
    expect.poll(
      async () => {
        try {
          return (await t.login(h.users.editor.email, h.users.editor.password, ip).result).user.email;
        } catch (e) {
          return (e as { reason?: string }).reason;
        }
      },
      { timeout: 10_000, interval: 200 },
    );

  it("slows down after a few failures, and the cool-down passes", async () => {
    const t = await throttled({ failuresPerAccount: 10, slowdownAfter: 1, blockSeconds: 120 });
    const headers = await throttledRightAfter(t, async () => {
      expect((await caught(t.login(h.users.editor.email, WRONG).result)).reason).toBe("INVALID_CREDENTIALS");
    });
    // The first cool-down is one second.
    expect(headers["retry-after"]).toBe("1");
    await eventually(t).toBe(h.users.editor.email);
  });

  it("lifts a block when it ends", async () => {
    const t = await throttled({ failuresPerAccount: 2, slowdownAfter: 2, blockSeconds: 1 });
    const ip = "203.0.113.9";
    await throttledRightAfter(
      t,
      async () => {
        await caught(t.login(h.users.editor.email, WRONG, ip).result);
        await caught(t.login(h.users.editor.email, WRONG, ip).result);
      },
      ip,
    );
    await eventually(t, ip).toBe(h.users.editor.email);
  });

  it("blocks an address that fails across many emails", async () => {
    const t = await throttled({ failuresPerIp: 3, failuresPerAccount: 10, slowdownAfter: 10, blockSeconds: 120 });
    for (const email of ["a@test.local", "b@test.local", "c@test.local"]) {
      expect((await caught(t.login(email, WRONG, "203.0.113.50").result)).reason).toBe("INVALID_CREDENTIALS");
    }
    const blocked = t.login(h.users.viewer.email, h.users.viewer.password, "203.0.113.50");
    expect((await caught(blocked.result)).reason).toBe("LOGIN_THROTTLED");
    expect(Number(blocked.headers["retry-after"])).toBeGreaterThan(60);
    expect((await t.login(h.users.viewer.email, h.users.viewer.password, "203.0.113.51").result).user.role).toBe("viewer");
  });

  it("lets no more guesses through than the limit when they arrive in parallel", async () => {
    const t = await throttled({ failuresPerAccount: 3, slowdownAfter: 3, blockSeconds: 120 });
    const { email, password } = h.users.viewer;
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, () => caught(t.login(email, WRONG, "203.0.113.77").result).then((e) => e.reason)),
    );
    expect(outcomes.filter((r) => r === "INVALID_CREDENTIALS").length).toBeLessThanOrEqual(3);
    expect(outcomes.filter((r) => r === "LOGIN_THROTTLED").length).toBeGreaterThanOrEqual(9);
    expect((await caught(t.login(email, password, "203.0.113.77").result)).reason).toBe("LOGIN_THROTTLED");
  });
});
