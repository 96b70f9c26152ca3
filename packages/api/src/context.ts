import { randomBytes, randomUUID } from "node:crypto";
import { configDefaults } from "@trellis/config";
import type { Db } from "@trellis/db";
import { type Kv, memorySlots, type Slots } from "@trellis/kv";
import type { Principal, SessionSigner } from "./auth/session.js";
import {
  defaultLoginThrottle,
  defaultRateLimits,
  type LoginThrottleSettings,
  type RateLimitSettings,
} from "./rate-limit/settings.js";

export interface CookieOptions {
  maxAgeSeconds: number;
  secure: boolean;
}

/** What procedures may ask of the HTTP response, without knowing the host. */
export interface ResponseControl {
  setCookie(name: string, value: string, opts: CookieOptions): void;
  clearCookie(name: string): void;
  setHeader(name: string, value: string): void;
}

export interface Logger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface IdempotencySettings {
  /** How long a stored outcome replays (default 24 h). */
  ttlMs: number;
  /** How long a duplicate waits for an in-flight attempt before answering 409 (default 2 s). */
  waitMs: number;
  /** Lifetime of the Redis in-flight marker: after a crash, duplicates wait at most this long (default 30 s). */
  lockTimeoutMs: number;
}

/** Test-only hooks to crash the process at exact points of a keyed mutation. */
export interface FaultHooks {
  beforeCommit?(): void;
  afterCommit?(): void;
}

/** Long-lived collaborators, built once per process by the host (or a test). */
export interface Services {
  now(): Date;
  log: Logger;
  idempotency: IdempotencySettings;
  faults: FaultHooks;
  /** Aborted when the host shuts down: long-lived streams end so the server can close. */
  shutdown: AbortSignal;
  /** Request budgets per principal (see middleware/rate-limit.ts). */
  rateLimits: RateLimitSettings;
  /** Failed sign-in slow-down and block (see rate-limit/login-throttle.ts). */
  loginThrottle: LoginThrottleSettings;
  /** Caps on what one caller, or one instance, may hold at once. */
  limits: UsageLimits;
  /** Places held on this instance alone (its open live-update streams), kept in process memory. */
  instanceSlots: Slots;
  /**
   * Keys the secret input fields (Meta.secretInput, e.g. passwords) in idempotency fingerprints,
   * so a stored fingerprint cannot be used to guess them. The host passes AUTH_SECRET: every
   * instance must use the same one, or replays of such calls across instances answer 422.
   */
  fingerprintSecret: string;
}

export interface UsageLimits {
  /** Unrevoked, unexpired API tokens per user (token.create answers TOKEN_LIMIT_REACHED beyond). */
  apiTokensPerUser: number;
  /** Concurrent live-update streams per user, over all their sessions and tokens (429 beyond). */
  liveStreamsPerUser: number;
  /** Concurrent live-update streams on this instance (429 beyond). */
  liveStreamsPerInstance: number;
}

// The defaults are the config schema's (packages/config), written there once; these pick the fields api uses.
export const defaultLimits: UsageLimits = {
  apiTokensPerUser: configDefaults.limits.apiTokensPerUser,
  liveStreamsPerUser: configDefaults.limits.liveStreamsPerUser,
  liveStreamsPerInstance: configDefaults.limits.liveStreamsPerInstance,
};

export const defaultIdempotency: IdempotencySettings = {
  ttlMs: configDefaults.idempotency.ttlMs,
  waitMs: configDefaults.idempotency.waitMs,
  lockTimeoutMs: configDefaults.idempotency.lockTimeoutMs,
};

// For hosts and tests that pass none: shared by every context of this process.
const processFingerprintSecret = randomBytes(32).toString("hex");

const quietLog: Logger = { info() {}, warn() {} };

export function createServices(overrides: Partial<Services> = {}): Services {
  return {
    now: () => new Date(),
    log: quietLog,
    idempotency: defaultIdempotency,
    faults: {},
    shutdown: new AbortController().signal,
    rateLimits: defaultRateLimits,
    loginThrottle: defaultLoginThrottle,
    limits: defaultLimits,
    instanceSlots: memorySlots(),
    fingerprintSecret: processFingerprintSecret,
    ...overrides,
  };
}

export interface ContextInnerOptions {
  db: Db;
  kv: Kv;
  sessions: SessionSigner;
  services?: Services;
  principal?: Principal | null;
  requestId?: string;
  response?: ResponseControl;
  /** The request's Idempotency-Key header, unvalidated. */
  idempotencyKey?: string;
  /** The request's If-Match header, unparsed. */
  ifMatch?: string;
  /** Which transport the call came through: policies such as "key required on REST" depend on it. */
  surface?: "trpc" | "rest" | "internal";
  /** Number of calls in the HTTP request (tRPC batches share one set of headers). */
  callsInRequest?: number;
  /** The client's IP address as the host sees it (budgets of signed-out callers, sign-in throttling). */
  clientIp?: string;
  /** The User-Agent header, kept with a new session so people can recognise their sign-ins. */
  userAgent?: string;
}

const noResponse: ResponseControl = {
  setCookie() {},
  clearCookie() {},
  setHeader() {},
};

const defaultServices = createServices();

/** Pure context factory: adapters build it from a request, tests call it directly. */
export function createContextInner(opts: ContextInnerOptions) {
  return {
    db: opts.db,
    kv: opts.kv,
    sessions: opts.sessions,
    services: opts.services ?? defaultServices,
    principal: opts.principal ?? null,
    requestId: opts.requestId ?? randomUUID(),
    response: opts.response ?? noResponse,
    idempotencyKey: opts.idempotencyKey,
    ifMatch: opts.ifMatch,
    surface: opts.surface ?? "internal",
    callsInRequest: opts.callsInRequest ?? 1,
    clientIp: opts.clientIp,
    userAgent: opts.userAgent,
  };
}

export type Context = ReturnType<typeof createContextInner>;
