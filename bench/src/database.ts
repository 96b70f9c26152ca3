import { randomBytes } from "node:crypto";
import { createDb, projects, type ProjectStatus, projectStatuses, users } from "@trellis/db";
import { type FixtureUser, insertFixtureUsers } from "@trellis/db/testing";
import postgres from "postgres";

export interface BenchDatabase {
  name: string;
  url: string;
  /** Drops the database (forcing other sessions off). Safe to call more than once. */
  drop(): Promise<void>;
}

const quiet = { max: 1, onnotice: () => {}, connect_timeout: 10 } as const;

/** Creates `trellis_bench_<random>` on the server named by `adminUrl` and applies the app's migrations. */
export async function createBenchDatabase(adminUrl: string): Promise<BenchDatabase> {
  const name = `trellis_bench_${randomBytes(5).toString("hex")}`;
  const admin = postgres(adminUrl, quiet);
  try {
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  let dropped: Promise<void> | undefined;
  const db: BenchDatabase = {
    name,
    url: url.toString(),
    drop: () =>
      (dropped ??= (async () => {
        const dropper = postgres(adminUrl, quiet);
        try {
          await dropper.unsafe(`drop database if exists "${name}" with (force)`);
        } finally {
          await dropper.end({ timeout: 5 });
        }
      })()),
  };
  try {
    const handle = await createDb({ kind: "postgres", url: db.url, maxConnections: 2 });
    try {
      await handle.migrate();
    } finally {
      await handle.close();
    }
  } catch (e) {
    await db.drop();
    throw e;
  }
  return db;
}

export interface SeedResult {
  users: number;
  projects: number;
  /** Not archived: what the default list returns. */
  visible: number;
  /** Signs in through the API (viewer: reads need any signed-in user). */
  login: FixtureUser;
  /** Signs in for the write cases (creates need an editor). */
  editor: FixtureUser;
  ms: number;
}

const nouns = ["Apollo", "Borealis", "Cobalt", "Delta", "Ember", "Fjord", "Granite", "Harbor", "Indigo", "Juniper"];
const kinds = ["Migration", "Redesign", "Rollout", "Audit", "Launch", "Integration", "Cleanup", "Pilot", "Upgrade", "Research"];
const tagPool = ["backend", "frontend", "infra", "security", "design", "data", "mobile", "q1", "q2", "customer"];

/** Deterministic PRNG: every run lists the same data. */
function mulberry32(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Seeds the fixture users, a few more owners and `projectCount` projects in batches, then analyzes. */
export async function seedBenchDatabase(url: string, projectCount: number): Promise<SeedResult> {
  const started = performance.now();
  const handle = await createDb({ kind: "postgres", url, maxConnections: 2 });
  let login: FixtureUser;
  let editor: FixtureUser;
  try {
    const fixtures = await insertFixtureUsers(handle.db);
    login = fixtures.viewer;
    editor = fixtures.editor;
    const extra = await handle.db
      .insert(users)
      .values(
        Array.from({ length: 7 }, (_, i) => ({
          email: `owner${i + 1}@bench.local`,
          name: `Owner ${nouns[i]} ${i + 1}`,
          role: "editor" as const,
          passwordHash: "not-a-valid-hash",
        })),
      )
      .returning({ id: users.id });
    const owners = [...Object.values(fixtures).map((u) => u.id), ...extra.map((u) => u.id)];

    const rand = mulberry32(7);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
    const day = 86_400_000;
    const now = Date.now();
    const BATCH = 1_000; // 12 columns x 1,000 rows stays far below the 65,535 bind parameters limit
    for (let start = 0; start < projectCount; start += BATCH) {
      const rows = Array.from({ length: Math.min(BATCH, projectCount - start) }, (_, j) => {
        const i = start + j;
        // Distinct, spread-out timestamps (one every ~50 minutes over about a year).
        const created = new Date(now - i * 3_000_000 - Math.floor(rand() * 1_000_000));
        const archived = rand() < 0.05;
        const status: ProjectStatus = pick(projectStatuses);
        return {
          name: `${pick(nouns)} ${pick(kinds)} ${i + 1}`,
          description: `Bench project ${i + 1}: ${pick(kinds).toLowerCase()} work for the ${pick(tagPool)} team, tracked for the quarterly review.`,
          status,
          ownerId: pick(owners),
          tags: Array.from(new Set(Array.from({ length: Math.floor(rand() * 4) }, () => pick(tagPool)))),
          budgetCents: rand() < 0.8 ? Math.floor(rand() * 50_000_000) : null,
          dueDate: rand() < 0.7 ? new Date(created.getTime() + Math.floor(rand() * 300) * day).toISOString().slice(0, 10) : null,
          createdAt: created,
          updatedAt: created,
          archivedAt: archived ? new Date(created.getTime() + day) : null,
          version: 1 + Math.floor(rand() * 3),
        };
      });
      await handle.db.insert(projects).values(rows);
    }
  } finally {
    await handle.close();
  }
  const client = postgres(url, quiet);
  try {
    await client`analyze`;
    const [counts] = await client<[{ users: number; projects: number; visible: number }]>`
      select (select count(*)::int from users) as users,
             (select count(*)::int from projects) as projects,
             (select count(*)::int from projects where archived_at is null) as visible`;
    if (!counts) throw new Error("seed: count query returned nothing");
    return { ...counts, login, editor, ms: performance.now() - started };
  } finally {
    await client.end({ timeout: 5 });
  }
}
