import { parseConfig } from "@trellis/config";
import { describe, expect, it } from "vitest";
import { createServices, defaultIdempotency, defaultLimits } from "./context.js";

describe("default services", () => {
  it("take their settings from the config schema's defaults, written once in packages/config", () => {
    const { idempotency, limits } = parseConfig({});
    expect(defaultIdempotency).toEqual({ ttlMs: idempotency.ttlMs, waitMs: idempotency.waitMs, lockTimeoutMs: idempotency.lockTimeoutMs });
    expect(defaultLimits).toEqual({
      apiTokensPerUser: limits.apiTokensPerUser,
      liveStreamsPerUser: limits.liveStreamsPerUser,
      liveStreamsPerInstance: limits.liveStreamsPerInstance,
    });
    const services = createServices();
    expect(services.rateLimits).toEqual(parseConfig({}).rateLimit);
    expect(services.loginThrottle).toEqual(parseConfig({}).loginThrottle);
  });
});
