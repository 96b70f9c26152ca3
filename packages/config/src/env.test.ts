import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "./env.js";

describe("parseConfig", () => {
  it("applies embedded defaults when nothing is set", () => {
    const c = parseConfig({});
    expect(c).toMatchObject({ port: 3000, host: "127.0.0.1", dataDir: ".data", seedDemo: true });
    expect(c.databaseUrl).toBeUndefined();
    expect(c.redisUrl).toBeUndefined();
  });

  it("does not seed demo data against a real database unless asked", () => {
    expect(parseConfig({ DATABASE_URL: "postgres://u@h/db" }).seedDemo).toBe(false);
    expect(parseConfig({ DATABASE_URL: "postgres://u@h/db", SEED_DEMO: "1" }).seedDemo).toBe(true);
  });

  it("names every bad variable", () => {
    try {
      parseConfig({ PORT: "seventy", DATABASE_URL: "mysql://x/y", REDIS_URL: "nope" });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const msg = (e as Error).message;
      expect(msg).toContain("PORT");
      expect(msg).toContain("DATABASE_URL");
      expect(msg).toContain("REDIS_URL");
    }
  });

  it("requires admin email and password together", () => {
    expect(() => parseConfig({ ADMIN_EMAIL: "a@b.co" })).toThrow(/together/);
    expect(parseConfig({ ADMIN_EMAIL: "a@b.co", ADMIN_PASSWORD: "longenough" }).admin).toEqual({
      email: "a@b.co",
      password: "longenough",
    });
  });

  it("treats empty strings as unset", () => {
    expect(parseConfig({ DATABASE_URL: "", PORT: "" }).port).toBe(3000);
  });
});

describe("abuse controls", () => {
  it("defaults to the documented limits", () => {
    const c = parseConfig({});
    expect(c.rateLimit).toEqual({
      enabled: true,
      windowSeconds: 60,
      points: { viewer: 60, editor: 120, admin: 600, token: 100, anonymous: 60 },
      readCost: 1,
      writeCost: 2,
    });
    expect(c.loginThrottle).toEqual({
      failuresPerAccount: 10,
      slowdownAfter: 5,
      failuresPerIp: 100,
      failureWindowSeconds: 3600,
      blockSeconds: 900,
    });
    expect(c.corsOrigins).toEqual([]);
    expect(c.requestTimeoutMs).toBe(30_000);
    expect(c.trustProxy).toBe(false);
  });

  it("reads limits, origins and proxy trust from the environment", () => {
    const c = parseConfig({
      RATE_LIMIT_ENABLED: "0",
      RATE_LIMIT_EDITOR: "20",
      RATE_LIMIT_WRITE_COST: "5",
      LOGIN_BLOCK_SECONDS: "60",
      CORS_ORIGINS: "https://app.example.com, http://localhost:5173",
      REQUEST_TIMEOUT_MS: "5000",
      TRUST_PROXY: "10.0.0.0/8,127.0.0.1",
    });
    expect(c.rateLimit).toMatchObject({ enabled: false, points: { editor: 20, viewer: 60 }, writeCost: 5 });
    expect(c.loginThrottle.blockSeconds).toBe(60);
    expect(c.corsOrigins).toEqual(["https://app.example.com", "http://localhost:5173"]);
    expect(c.requestTimeoutMs).toBe(5000);
    expect(c.trustProxy).toEqual(["10.0.0.0/8", "127.0.0.1"]);
    expect(parseConfig({ TRUST_PROXY: "true" }).trustProxy).toBe(true);
    expect(parseConfig({ TRUST_PROXY: "2" }).trustProxy).toBe(2);
  });

  it("names a bad origin or a limit below 1", () => {
    expect(() => parseConfig({ CORS_ORIGINS: "https://app.example.com/path" })).toThrow(/CORS_ORIGINS/);
    expect(() => parseConfig({ CORS_ORIGINS: "*" })).toThrow(/CORS_ORIGINS/);
    expect(() => parseConfig({ RATE_LIMIT_VIEWER: "0" })).toThrow(/RATE_LIMIT_VIEWER/);
    expect(() => parseConfig({ REQUEST_TIMEOUT_MS: "soon" })).toThrow(/REQUEST_TIMEOUT_MS/);
  });
});
