import { createHash } from "node:crypto";
import type { Kv } from "@trellis/kv";
import { DomainError } from "../errors.js";
import type { LoginThrottleSettings } from "./settings.js";

export interface LoginAttempt {
  /** Records a failed attempt: slows the next ones down, then blocks. */
  failed(): Promise<void>;
  /** A success forgets the account's failures (the client IP's count stays). */
  succeeded(): Promise<void>;
}

/**
 * How long an (email, IP) pair must wait after its n-th consecutive failure: nothing at first,
 * then 1 s, 2 s, 4 s, ... from `slowdownAfter` on, and `blockSeconds` at `failuresPerAccount`.
 */
export function lockSecondsAfter(failures: number, s: LoginThrottleSettings): number {
  if (failures >= s.failuresPerAccount) return s.blockSeconds;
  if (failures >= s.slowdownAfter) return Math.min(2 ** (failures - s.slowdownAfter), s.blockSeconds);
  return 0;
}

interface ThrottleContext {
  kv: Kv;
  services: { loginThrottle: LoginThrottleSettings };
  clientIp?: string;
  response: { setHeader(name: string, value: string): void };
}

/**
 * Brute-force protection for sign-in, after rate-limiter-flexible's "login endpoint protection"
 * recipe: consecutive failures are counted per (email, client IP) and all failures per client IP.
 *
 * - Per (email, IP): after `slowdownAfter` failures each further attempt must wait 1 s, 2 s, 4 s,
 *   ... after the previous failure; at `failuresPerAccount` the pair is blocked for `blockSeconds`.
 *   Keying by email *and* IP means an attacker elsewhere cannot lock the owner out. A success
 *   resets the count; a block always expires.
 * - Per IP: `failuresPerIp` failures (any emails) within the window block that IP for `blockSeconds`.
 *
 * The email is counted whether or not an account has it, so throttling reveals nothing about
 * which emails exist. Attempts are counted before the password is checked, so a burst of
 * parallel guesses cannot get past the limit.
 */
export async function beginLoginAttempt(ctx: ThrottleContext, email: string): Promise<LoginAttempt> {
  const s = ctx.services.loginThrottle;
  const ip = ctx.clientIp ?? "unknown";
  // Hashed: counter keys in Redis should not list who is being attacked. An IP never contains
  // "/", so the pair is unambiguous.
  const emailHash = createHash("sha256").update(email.trim().toLowerCase()).digest("base64url");
  const account = `${ip}/${emailHash}`;
  const window = s.failureWindowSeconds;
  const attempts = ctx.kv.rateLimiter({ name: "login:attempts", points: s.failuresPerAccount, durationSeconds: window });
  // Block-only: holds the cool-downs and blocks of (email, IP) pairs.
  const lock = ctx.kv.rateLimiter({ name: "login:lock", points: 1, durationSeconds: s.blockSeconds });
  const ipFailures = ctx.kv.rateLimiter({ name: "login:ip", points: s.failuresPerIp, durationSeconds: window });

  const throttled = (waitMs: number) => {
    const retryAfterSeconds = Math.max(1, Math.ceil(waitMs / 1000));
    ctx.response.setHeader("Retry-After", String(retryAfterSeconds));
    return new DomainError("LOGIN_THROTTLED", `Too many failed sign-in attempts; try again in ${retryAfterSeconds} s`, {
      retryAfterSeconds,
    });
  };
  const blockAccount = async () => {
    await lock.block(account, s.blockSeconds);
    // The block replaces the count: when it ends, the owner gets a fresh start.
    await attempts.reset(account);
  };

  const [locked, ipState] = await Promise.all([lock.peek(account), ipFailures.peek(ip)]);
  const waitMs = Math.max(locked && !locked.allowed ? locked.resetMs : 0, ipState && !ipState.allowed ? ipState.resetMs : 0);
  if (waitMs > 0) throw throttled(waitMs);

  const attempt = await attempts.consume(account);
  if (!attempt.allowed) {
    // Only parallel attempts get here: more than the limit arrived before any failure was recorded.
    await blockAccount();
    throw throttled(s.blockSeconds * 1000);
  }
  const n = attempt.consumed;
  return {
    async failed() {
      const fromIp = await ipFailures.consume(ip);
      if (fromIp.consumed >= s.failuresPerIp) await ipFailures.block(ip, s.blockSeconds);
      if (n >= s.failuresPerAccount) await blockAccount();
      else if (n >= s.slowdownAfter) await lock.block(account, lockSecondsAfter(n, s));
    },
    async succeeded() {
      await Promise.all([attempts.reset(account), lock.reset(account)]);
    },
  };
}
