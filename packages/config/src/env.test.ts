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
