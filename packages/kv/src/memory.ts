import { EventEmitter } from "node:events";
import { memoryRateLimiters } from "./rate-limit.js";
import { memorySlots } from "./slots.js";
import type { Kv } from "./types.js";

interface Entry {
  value: string;
  expiresAt: number | undefined;
}

export function createMemoryKv(now: () => number = Date.now): Kv {
  const map = new Map<string, Entry>();
  const live = (key: string): Entry | undefined => {
    const e = map.get(key);
    if (e && e.expiresAt !== undefined && e.expiresAt <= now()) {
      map.delete(key);
      return undefined;
    }
    return e;
  };
  const expiry = (ttlMs?: number) => (ttlMs === undefined ? undefined : now() + ttlMs);
  const bus = new EventEmitter();
  bus.setMaxListeners(0);
  const rateLimiter = memoryRateLimiters();
  const slots = memorySlots(now);
  return {
    kind: "memory",
    ...slots,
    async get(key) {
      return live(key)?.value ?? null;
    },
    async set(key, value, ttlMs) {
      map.set(key, { value, expiresAt: expiry(ttlMs) });
    },
    async setIfAbsent(key, value, ttlMs) {
      if (live(key)) return false;
      map.set(key, { value, expiresAt: expiry(ttlMs) });
      return true;
    },
    async del(key) {
      map.delete(key);
    },
    async publish(channel, message) {
      bus.emit(channel, message);
    },
    async subscribe(channel, onMessage) {
      bus.on(channel, onMessage);
      return async () => {
        bus.off(channel, onMessage);
      };
    },
    rateLimiter,
    async ping() {},
    async close() {
      map.clear();
      bus.removeAllListeners();
    },
  };
}
