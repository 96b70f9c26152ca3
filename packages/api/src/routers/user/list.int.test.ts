import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../../../test/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h?.close());

describe("user.list", () => {
  it("lists every user by name, without emails or password hashes, to any signed-in user", async () => {
    const list = await h.as(h.users.viewer).user.list();
    expect(list.map((u) => u.name)).toEqual(["Test admin", "Test editor", "Test viewer"]);
    expect(Object.keys(list[0]!).sort()).toEqual(["id", "name", "role"]);
  });

  it("refuses signed-out callers", async () => {
    await expect(h.as(null).user.list()).rejects.toSatisfy((e) => e instanceof TRPCError && e.code === "UNAUTHORIZED");
  });
});
