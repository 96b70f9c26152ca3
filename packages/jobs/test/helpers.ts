import { type TestDatabase, createTestDb } from "@trellis/db/testing";
import type { JobConnection } from "../src/index.js";

/** An isolated database (PGlite, or a fresh Postgres database when DATABASE_URL is set) and how pg-boss reaches it. */
export async function jobsTestDb(): Promise<{ t: TestDatabase; connection: JobConnection }> {
  const t = await createTestDb();
  const connection: JobConnection = t.kind === "pglite" ? { kind: "pglite", pglite: t.pglite! } : { kind: "postgres", url: t.url! };
  return { t, connection };
}

/** Polls `fn` until it returns a truthy value; fails after `timeoutMs`. */
export async function waitFor<T>(fn: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
