import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseConfig } from "@trellis/config";
import { users, verifyPassword } from "@trellis/db";
import { createTestDb, type TestDatabase } from "@trellis/db/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Logger, prepareDatabase, startBanner } from "../bootstrap.js";

// A production start with ADMIN_EMAIL/ADMIN_PASSWORD (embedded data) seeded the demo accounts and
// printed "<admin> / <ADMIN_PASSWORD> (other demo users ... share the password)": the operator's
// password on the console, and a claim that was false (the demo users got a random password that
// was never shown). Now demo data is seeded only when nothing else was asked for (or SEED_DEMO=1),
// a supplied password is never printed, and the sign-in line says what is true in each case.

const ADMIN_PASSWORD = "operator-chosen-secret-42";
const dirs: string[] = [];
const dataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "trellis-banner-"));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function capture(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (m) => lines.push(m), warn: (m) => lines.push(m) };
}

async function passwordOf(db: TestDatabase, email: string, password: string) {
  const [user] = await db.db.select().from(users).where(eq(users.email, email));
  expect(user, email).toBeDefined();
  return verifyPassword(user!.passwordHash, password);
}

describe("the start banner's sign-in line", () => {
  const dbs: TestDatabase[] = [];
  let demoDb: TestDatabase;
  let mixedDb: TestDatabase;
  let emptyDb: TestDatabase;
  beforeAll(async () => {
    [demoDb, mixedDb, emptyDb] = await Promise.all([createTestDb(), createTestDb(), createTestDb()]);
    dbs.push(demoDb, mixedDb, emptyDb);
  });
  afterAll(async () => {
    for (const db of dbs) await db.close();
  });

  it("demo seeded (nothing asked for): prints the generated password, which every demo user really has", async () => {
    const config = parseConfig({ DATA_DIR: dataDir() });
    expect(config.seedDemo).toBe(true);
    const log = capture();
    const { signIn } = await prepareDatabase(demoDb, config, log);
    const match = signIn.match(/^admin@trellis\.local \/ (\S+) \(other demo users, e\.g\. eve@trellis\.local, share the password\)$/);
    expect(match, signIn).not.toBeNull();
    const password = match![1]!;
    for (const email of ["admin@trellis.local", "eve@trellis.local", "ezra@trellis.local", "vic@trellis.local", "vera@trellis.local"]) {
      expect(await passwordOf(demoDb, email, password), email).toBe(true);
    }
    const file = join(config.dataDir, "demo-login.txt");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, "utf8").trim()).toBe(signIn);

    // The next start prints it again, saying it is the seeded login.
    expect((await prepareDatabase(demoDb, config, capture())).signIn).toBe(`${signIn} (as seeded on the first start)`);

    // ADMIN_* later: the admin is created from ADMIN_PASSWORD, which is not printed.
    const withAdmin = parseConfig({ DATA_DIR: config.dataDir, ADMIN_EMAIL: "ops@example.com", ADMIN_PASSWORD });
    expect(withAdmin.seedDemo).toBe(false);
    const later = capture();
    const again = await prepareDatabase(demoDb, withAdmin, later);
    expect(again.signIn.split("\n")).toEqual(["ops@example.com / the password in ADMIN_PASSWORD", `${signIn} (as seeded on the first start)`]);
    expect(await passwordOf(demoDb, "ops@example.com", ADMIN_PASSWORD)).toBe(true);
    expect(later.lines.join("\n")).not.toContain(ADMIN_PASSWORD);
  });

  it("ADMIN_* with SEED_DEMO=1: the admin has ADMIN_PASSWORD (not printed), the demo users a generated password that is", async () => {
    const config = parseConfig({ DATA_DIR: dataDir(), ADMIN_EMAIL: "boss@example.com", ADMIN_PASSWORD, SEED_DEMO: "1" });
    expect(config.seedDemo).toBe(true);
    const log = capture();
    const { signIn } = await prepareDatabase(mixedDb, config, log);
    const [adminLine, demoLine, ...rest] = signIn.split("\n");
    expect(rest).toEqual([]);
    expect(adminLine).toBe("boss@example.com / the password in ADMIN_PASSWORD");
    const match = demoLine?.match(/^demo users, e\.g\. eve@trellis\.local \/ (\S+) \(they share this generated password\)$/);
    expect(match, demoLine).not.toBeNull();
    const demoPassword = match![1]!;
    expect(demoPassword).not.toBe(ADMIN_PASSWORD);
    expect(await passwordOf(mixedDb, "boss@example.com", ADMIN_PASSWORD)).toBe(true);
    expect(await passwordOf(mixedDb, "boss@example.com", demoPassword)).toBe(false);
    for (const email of ["eve@trellis.local", "ezra@trellis.local", "vic@trellis.local", "vera@trellis.local"]) {
      expect(await passwordOf(mixedDb, email, demoPassword), email).toBe(true);
    }
    const file = readFileSync(join(config.dataDir, "demo-login.txt"), "utf8");
    for (const text of [signIn, log.lines.join("\n"), file]) expect(text).not.toContain(ADMIN_PASSWORD);

    // Restarted with the same settings: nothing is seeded again, the admin already exists.
    const restart = capture();
    const second = await prepareDatabase(mixedDb, config, restart);
    expect(second.signIn.split("\n")).toEqual([
      "boss@example.com / its current password (an existing account: ADMIN_PASSWORD is only used when the admin is created)",
      `${demoLine} (as seeded on the first start)`,
    ]);
    expect(restart.lines.join("\n")).not.toContain(ADMIN_PASSWORD);
  });

  it("nothing asked for in production: no demo data, and the line says how to create an admin; then ADMIN_* creates only the admin", async () => {
    const dir = dataDir();
    const bare = parseConfig({ NODE_ENV: "production", DATA_DIR: dir });
    expect(bare.seedDemo).toBe(false);
    const { signIn } = await prepareDatabase(emptyDb, bare, capture());
    expect(signIn).toBe(
      "no account was created by this start: set ADMIN_EMAIL and ADMIN_PASSWORD (an email with no account yet) and restart to create an admin",
    );
    expect(await emptyDb.db.select().from(users)).toEqual([]);

    // The finding's setup: production, embedded data, ADMIN_* set.
    const production = parseConfig({ NODE_ENV: "production", DATA_DIR: dir, ADMIN_EMAIL: "first@example.com", ADMIN_PASSWORD });
    expect(production.seedDemo).toBe(false);
    const log = capture();
    const withAdmin = await prepareDatabase(emptyDb, production, log);
    expect(withAdmin.signIn).toBe("first@example.com / the password in ADMIN_PASSWORD");
    expect(log.lines.join("\n")).not.toContain(ADMIN_PASSWORD);
    const all = await emptyDb.db.select({ email: users.email, role: users.role }).from(users);
    expect(all).toEqual([{ email: "first@example.com", role: "admin" }]);
  });

  it("prints one sign-in line per login in the banner and never the operator's password", () => {
    const config = parseConfig({ DATA_DIR: ".data", ADMIN_EMAIL: "boss@example.com", ADMIN_PASSWORD, SEED_DEMO: "1" });
    const banner = startBanner({
      url: "http://127.0.0.1:3000",
      config,
      signIn: "boss@example.com / the password in ADMIN_PASSWORD\ndemo users, e.g. eve@trellis.local / abc (they share this generated password)",
    });
    expect(banner.split("\n")).toEqual([
      "",
      "  Trellis is running",
      "  Dashboard   http://127.0.0.1:3000",
      "  API docs    http://127.0.0.1:3000/api-docs   (OpenAPI: http://127.0.0.1:3000/api/v1/openapi.json)",
      "  Data        embedded PGlite in .data, in-memory kv",
      "  Sign in     boss@example.com / the password in ADMIN_PASSWORD",
      "              demo users, e.g. eve@trellis.local / abc (they share this generated password)",
      "",
    ]);
    expect(banner).not.toContain(ADMIN_PASSWORD);
  });
});
