import { randomBytes } from "node:crypto";
import { count, sql } from "drizzle-orm";
import type { Db } from "./client.js";
import { hashPassword } from "./passwords.js";
import { projectEvents, projects, type ProjectStatus, projectStatuses, users, type UserRole } from "./schema/index.js";
import { one } from "./rows.js";

export interface SeedResult {
  seeded: boolean;
  admin?: { email: string; password: string };
  users: number;
  projects: number;
}

const demoPeople: Array<{ name: string; email: string; role: UserRole }> = [
  { name: "Ada Admin", email: "admin@trellis.local", role: "admin" },
  { name: "Eve Editor", email: "eve@trellis.local", role: "editor" },
  { name: "Ezra Editor", email: "ezra@trellis.local", role: "editor" },
  { name: "Vic Viewer", email: "vic@trellis.local", role: "viewer" },
  { name: "Vera Viewer", email: "vera@trellis.local", role: "viewer" },
];

const nouns = ["Apollo", "Borealis", "Cobalt", "Delta", "Ember", "Fjord", "Granite", "Harbor", "Indigo", "Juniper", "Kestrel", "Lumen", "Meridian", "Nimbus", "Orchid", "Pioneer", "Quartz", "Riverstone", "Summit", "Tidal"];
const kinds = ["Migration", "Redesign", "Rollout", "Audit", "Launch", "Integration", "Cleanup", "Pilot", "Upgrade", "Research"];
const tagPool = ["backend", "frontend", "infra", "security", "design", "data", "mobile", "q1", "q2", "q3", "q4", "customer", "internal", "urgent"];

/** Small deterministic PRNG so demo data is varied but the same on every machine. */
function mulberry32(seed: number) {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Creates or updates the configured first admin. Returns true when a user was created.
 * The password is only set on creation: an operator's later password change must survive restarts.
 */
export async function ensureAdmin(db: Db, admin: { email: string; password: string }): Promise<boolean> {
  const passwordHash = await hashPassword(admin.password);
  const inserted = await db
    .insert(users)
    .values({ email: admin.email, name: "Administrator", passwordHash, role: "admin" })
    .onConflictDoNothing()
    .returning({ id: users.id });
  return inserted.length > 0;
}

/**
 * Seeds demo users and about `projectCount` projects, only into an empty database,
 * so restarts never duplicate or overwrite anything.
 */
export async function seedDemo(
  db: Db,
  opts: { projectCount?: number; password?: string; admin?: { email: string; password: string } } = {},
): Promise<SeedResult> {
  const [existing] = await db.select({ n: count() }).from(users);
  if (Number(existing?.n ?? 0) > 0) return { seeded: false, users: 0, projects: 0 };

  const password = opts.password ?? randomBytes(9).toString("base64url");
  const passwordHash = await hashPassword(password);
  const people = opts.admin
    ? [{ name: "Administrator", email: opts.admin.email, role: "admin" as const }, ...demoPeople.slice(1)]
    : demoPeople;
  const adminHash = opts.admin ? await hashPassword(opts.admin.password) : passwordHash;
  const rand = mulberry32(42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const projectCount = opts.projectCount ?? 200;

  return db.transaction(async (tx) => {
    const inserted = await tx
      .insert(users)
      .values(people.map((p, i) => ({ ...p, passwordHash: i === 0 ? adminHash : passwordHash })))
      .returning({ id: users.id, role: users.role });
    const owners = inserted.filter((u) => u.role !== "viewer");
    const now = Date.now();
    const day = 86_400_000;
    const rows = Array.from({ length: projectCount }, (_, i) => {
      const created = new Date(now - Math.floor(rand() * 365) * day - i * 1000);
      const status: ProjectStatus = pick(projectStatuses);
      const due = rand() < 0.7 ? new Date(created.getTime() + Math.floor(rand() * 300 - 60) * day) : null;
      const tags = Array.from(new Set(Array.from({ length: Math.floor(rand() * 4) }, () => pick(tagPool))));
      // The editable fields, as a create sends them: the "created" event records each of them.
      const fields = {
        name: `${pick(nouns)} ${pick(kinds)} ${i + 1}`,
        description: `Demo project ${i + 1}: ${pick(kinds).toLowerCase()} work for the ${pick(tagPool)} team.`,
        status,
        ownerId: pick(owners).id,
        tags,
        budgetCents: rand() < 0.8 ? Math.floor(rand() * 50_000_000) : null,
        dueDate: due ? due.toISOString().slice(0, 10) : null,
      };
      return { fields, createdAt: created, updatedAt: created, archivedAt: rand() < 0.05 ? new Date(created.getTime() + day) : null };
    });
    const created = await tx
      .insert(projects)
      .values(rows.map(({ fields, ...times }) => ({ ...fields, ...times })))
      .returning({ id: projects.id, name: projects.name, version: projects.version });
    // Names are unique (they end in the row's number), so each created row finds its fields by name.
    const byName = new Map(rows.map((row) => [row.fields.name, row]));
    await tx.insert(projectEvents).values(
      created.map((p) => {
        const row = byName.get(p.name);
        if (!row) throw new Error(`Seeded project ${p.name} has no fields`);
        const { fields, createdAt } = row;
        return {
          projectId: p.id,
          actorId: fields.ownerId,
          action: "created" as const,
          // As project.create records it: every field it wrote, from nothing.
          changes: Object.fromEntries(Object.entries(fields).map(([field, after]) => [field, { before: null, after }])),
          version: p.version,
          requestId: "seed",
          createdAt,
        };
      }),
    );
    await tx.execute(sql`analyze projects`);
    return {
      seeded: true,
      admin: { email: one(people, "the seeded admin").email, password: opts.admin ? opts.admin.password : password },
      users: inserted.length,
      projects: created.length,
    };
  });
}
