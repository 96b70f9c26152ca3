import { describe, expect, it } from "vitest";
import { tokenStatus } from "./token-labels";

describe("tokenStatus", () => {
  const now = new Date("2026-05-01T12:00:00Z");
  it("says revoked before expired, and active otherwise", () => {
    expect(tokenStatus({ expiresAt: new Date("2026-06-01T00:00:00Z"), revokedAt: null }, now)).toBe("active");
    expect(tokenStatus({ expiresAt: new Date("2026-05-01T12:00:00Z"), revokedAt: null }, now)).toBe("expired");
    expect(tokenStatus({ expiresAt: new Date("2026-04-01T00:00:00Z"), revokedAt: new Date("2026-03-01T00:00:00Z") }, now)).toBe("revoked");
  });
});
