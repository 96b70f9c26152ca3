import { parseConfig } from "@trellis/config";
import { describe, expect, it } from "vitest";
import { defaultLoginThrottle, defaultRateLimits } from "./settings.js";

describe("default budgets", () => {
  it("are the config schema's defaults, written once in packages/config", () => {
    expect(defaultRateLimits).toEqual(parseConfig({}).rateLimit);
    expect(defaultLoginThrottle).toEqual(parseConfig({}).loginThrottle);
  });
});
