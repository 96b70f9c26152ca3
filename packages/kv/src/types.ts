import type { RateLimiter, RateLimiterOptions } from "./rate-limit.js";
import type { Slots } from "./slots.js";

/**
 * The small surface Trellis needs from a key-value store. Redis implements it in
 * production; an in-memory map implements it in embedded mode and for single-process tests.
 * Values are strings: callers choose their own encoding.
 */
export interface Kv extends Slots {
  readonly kind: "redis" | "memory";
  get(key: string): Promise<string | null>;
  /** Sets a value, expiring after ttlMs when given. */
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  /** Sets only when absent; returns true when this call set it (a cheap lock). */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  del(key: string): Promise<void>;
  /** Fire-and-forget broadcast to every instance subscribed to the channel. */
  publish(channel: string, message: string): Promise<void>;
  /** Calls `onMessage` for each message on the channel; returns a function that unsubscribes. */
  subscribe(channel: string, onMessage: (message: string) => void): Promise<() => Promise<void>>;
  /**
   * A rate limiter whose counters live in this store (shared by every instance on Redis). The
   * same options give the same limiter, so callers may ask for it on every request.
   */
  rateLimiter(options: RateLimiterOptions): RateLimiter;
  ping(): Promise<void>;
  close(): Promise<void>;
}
