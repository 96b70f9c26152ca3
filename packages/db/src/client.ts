import { existsSync, mkdirSync } from "node:fs";
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
  /** Applies committed migrations; safe to call from several instances at once. */
  migrate(): Promise<void>;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
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

async function createPglite(target: Extract<DbTarget, { kind: "pglite" }>): Promise<DbHandle> {
  if (target.dataDir) mkdirSync(target.dataDir, { recursive: true });
  const client = target.pglite ?? (await PGlite.create(target.dataDir ?? "memory://"));
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  return {
    db,
    kind: "pglite",
    async migrate() {
      // PGlite is a single in-process connection: nothing else can race it.
      await migratePglite(drizzlePglite({ client }), { migrationsFolder: migrationsFolder() });
    },
    async ping() {
      if (client.closed) throw new Error("PGlite is closed");
      await db.execute(sql`select 1`);
    },
    async close() {
      if (!client.closed) await client.close();
    },
  };
}
