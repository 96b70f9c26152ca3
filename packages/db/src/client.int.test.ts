import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "./seed.js";
import { projectEvents, projects, users } from "./schema/index.js";
import { createTestDb, type TestDatabase } from "./testing.js";
import { verifyPassword } from "./passwords.js";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await t?.close();
});

describe("database", () => {
  it("migrates idempotently and answers ping", async () => {
    await t.migrate();
    await t.ping();
  });

  it("seeds demo data once, with a working admin password", async () => {
    const first = await seedDemo(t.db, { projectCount: 40 });
    expect(first.seeded).toBe(true);
    expect(first.projects).toBe(40);
    const second = await seedDemo(t.db, { projectCount: 40 });
    expect(second.seeded).toBe(false);
    const [p] = await t.db.select({ n: count() }).from(projects);
    expect(Number(p?.n)).toBe(40);
    const [e] = await t.db.select({ n: count() }).from(projectEvents);
    expect(Number(e?.n)).toBe(40);
    const [admin] = await t.db.select().from(users).where(eq(users.email, first.admin!.email));
    expect(admin?.role).toBe("admin");
    expect(await verifyPassword(admin!.passwordHash, first.admin!.password)).toBe(true);
    expect(await verifyPassword(admin!.passwordHash, "wrong")).toBe(false);
  });

  it("rejects a second user whose email differs only in case", async () => {
    await expect(
      t.db.insert(users).values({ email: "ADMIN@trellis.local", name: "x", passwordHash: "x" }),
    ).rejects.toThrow();
  });
});
