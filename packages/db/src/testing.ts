import { randomBytes } from "node:crypto";
import { loadConfig } from "@trellis/config";
import postgres from "postgres";
import { createDb, type Db, type DbHandle } from "./client.js";
import { type UserRole, userRoles } from "./constants.js";
import { users } from "./schema/index.js";

export interface TestDatabase extends DbHandle {
  /** Connection URL of the isolated database (postgres mode only). */
  url: string | undefined;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * An isolated, migrated database for one test file: a fresh database on the server
 * named by DATABASE_URL when set (CI), otherwise an in-memory PGlite.
 * When DATABASE_URL is set and the server is down this throws: such tests fail, never skip.
 */
export async function createTestDb(): Promise<TestDatabase> {
  const { databaseUrl } = loadConfig();
  if (!databaseUrl) {
    const handle = await createDb({ kind: "pglite" });
    await handle.migrate();
    return Object.assign(handle, { url: undefined, [Symbol.asyncDispose]: () => handle.close() });
  }
  const name = `trellis_test_${randomBytes(6).toString("hex")}`;
  const admin = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  const handle = await createDb({ kind: "postgres", url: url.toString(), maxConnections: 20 });
  await handle.migrate();
  const closeHandle = handle.close;
  const dispose = async () => {
    await closeHandle();
    const dropper = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    try {
      await dropper.unsafe(`drop database if exists "${name}" with (force)`);
    } finally {
      await dropper.end({ timeout: 5 });
    }
  };
  return Object.assign(handle, { url: url.toString(), close: dispose, [Symbol.asyncDispose]: dispose });
}

/** Password of every fixture user; its argon2id hash is precomputed to keep fixtures fast. */
export const FIXTURE_PASSWORD = "correct horse battery";
const FIXTURE_HASH =
  "$argon2id$v=19$m=19456,t=2,p=1$PlD8cPOi4OYoK+Ri44jftg$L3xQZRN5csXSxWCgrzImE5kibxrg/UulYCqGrJkNoTo";

export interface FixtureUser {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  password: string;
}

/** One user per role with unique emails (a prefix keeps several sets apart in one database). */
export async function insertFixtureUsers(db: Db, prefix = ""): Promise<Record<UserRole, FixtureUser>> {
  const rows = await db
    .insert(users)
    .values(userRoles.map((role) => ({ email: `${prefix}${role}@test.local`, name: `Test ${role}`, role, passwordHash: FIXTURE_HASH })))
    .returning();
  return Object.fromEntries(
    rows.map((u) => [u.role, { id: u.id, email: u.email, name: u.name, role: u.role, password: FIXTURE_PASSWORD }]),
  ) as Record<UserRole, FixtureUser>;
}
