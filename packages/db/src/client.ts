import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import * as schema from "./schema/index.js";

export type Schema = typeof schema;
/** One database type for both drivers; transactions (`tx`) are assignable to it. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export type DbTarget =
  | { kind: "postgres"; url: string; maxConnections?: number }
  | { kind: "pglite"; dataDir?: string; pglite?: PGlite };

export interface DbHandle {
  db: Db;
  kind: DbTarget["kind"];
  /** Embedded mode only: the PGlite instance itself (for a library that talks to it directly, e.g. pg-boss). */
  pglite?: PGlite;
  /** Applies committed migrations; safe to call from several instances at once. */
  migrate(): Promise<void>;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
  /**
   * Embedded data directory only: how many of its files and directories had group or other
   * permission bits when it was opened (now owner-only). 0 for a fresh or already private one.
   */
  dataDirEntriesFixed?: number;
}

// Arbitrary constant: every Trellis instance takes this advisory lock while migrating.
const MIGRATION_LOCK_ID = 7_304_211;

/** Migrations sit beside the bundle in a build (dist/drizzle) and at the package root in source. */
export function migrationsFolder(): string {
  for (const rel of ["./drizzle", "../drizzle"]) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(`${dir}/meta/_journal.json`)) return dir;
  }
  throw new Error("drizzle migrations folder not found next to @trellis/db");
}

export async function createDb(target: DbTarget): Promise<DbHandle> {
  return target.kind === "postgres" ? createPostgres(target) : createPglite(target);
}

function createPostgres(target: Extract<DbTarget, { kind: "postgres" }>): DbHandle {
  const client = postgres(target.url, {
    max: target.maxConnections ?? 10,
    onnotice: () => {},
    connect_timeout: 10,
  });
  const db = drizzlePostgres({ client, schema }) as unknown as Db;
  return {
    db,
    kind: "postgres",
    async migrate() {
      // A dedicated single connection, so the session-level advisory lock and the
      // migration transaction share it and a second instance waits instead of racing.
      const lockClient = postgres(target.url, { max: 1, onnotice: () => {} });
      try {
        await lockClient`select pg_advisory_lock(${MIGRATION_LOCK_ID})`;
        await migratePostgres(drizzlePostgres({ client: lockClient }), {
          migrationsFolder: migrationsFolder(),
        });
        await lockClient`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`;
      } finally {
        await lockClient.end({ timeout: 5 });
      }
    },
    async ping() {
      await db.execute(sql`select 1`);
    },
    async close() {
      await client.end({ timeout: 5 });
    },
  };
}

/**
 * Makes `dir` and everything under it owner-only (directories 0700, files 0600), creating it if
 * missing, and returns how many entries had any group/other permission bit. Symbolic links are
 * neither followed nor changed. Independent of the process umask: modes are set explicitly.
 */
export function restrictToOwner(dir: string): number {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  let fixed = 0;
  const visit = (path: string) => {
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) return;
    const wanted = stat.isDirectory() ? 0o700 : 0o600;
    if ((stat.mode & 0o777) !== wanted) {
      if (stat.mode & 0o077) fixed++;
      chmodSync(path, wanted);
    }
    if (stat.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  visit(dir);
  return fixed;
}

async function createPglite(target: Extract<DbTarget, { kind: "pglite" }>): Promise<DbHandle> {
  const { dataDir } = target;
  // Emails, password hashes and roles live in these files. The directory is made 0700 before
  // PGlite writes anything, so nothing in it is reachable by other users even for a moment; an
  // existing directory left open (an older version, a copy, a umask of 000) is fixed and counted.
  // The files themselves are chmodded after opening and migrating: PGlite unpacks a new cluster
  // with explicit 0666 modes whatever the umask (measured with umask 077), and Postgres rewrites
  // its relcache init files 0644; the files Postgres creates later (tables, WAL) are 0600.
  const fixed = dataDir && !target.pglite ? restrictToOwner(dataDir) : undefined;
  const client = target.pglite ?? (await PGlite.create(dataDir ?? "memory://"));
  const tighten = () => {
    if (fixed !== undefined && dataDir) restrictToOwner(dataDir);
  };
  tighten();
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  return {
    db,
    kind: "pglite",
    pglite: client,
    ...(fixed !== undefined && { dataDirEntriesFixed: fixed }),
    async migrate() {
      // PGlite is a single in-process connection: nothing else can race it.
      await migratePglite(drizzlePglite({ client }), { migrationsFolder: migrationsFolder() });
      tighten();
    },
    async ping() {
      if (client.closed) throw new Error("PGlite is closed");
      await db.execute(sql`select 1`);
    },
    async close() {
      if (!client.closed) await client.close();
      try {
        tighten();
      } catch {
        // Best effort: the directory may already be gone (a test's temporary copy).
      }
    },
  };
}
