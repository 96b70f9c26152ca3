import { projectEvents, projects } from "@trellis/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { domainContext } from "../../../test/domain.js";
import { caught, createHarness, type Harness } from "../../../test/harness.js";
import { createProjectInput } from "../../routers/project/schemas.js";
import { inTransaction, systemActor } from "../context.js";
import { archiveProject, restoreProject } from "./archive.js";
import { createProject } from "./create.js";
import { CHANGES_CHANNEL } from "./entity.js";
import { revertProject } from "./revert.js";
import { updateProject } from "./update.js";

// The project use cases called directly, as a job would: a system actor on behalf of a user, a
// plain context, no HTTP, no SessionSigner, no tRPC.

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h?.close());

const JOB_ID = "00000000-0000-4000-8000-000000000042";
const asJob = (overrides: Parameters<typeof domainContext>[2] = {}) =>
  domainContext({ db: h.db.db, kv: h.kv }, systemActor("import-job", h.users.editor.userId), { jobId: JOB_ID, ...overrides });

const eventsOf = (id: string) => h.db.db.select().from(projectEvents).where(eq(projectEvents.projectId, id)).orderBy(projectEvents.id);

describe("project use cases as the system actor", () => {
  it("create, update, archive, restore and revert: one audit event each, naming the user the job acts for", async () => {
    const ctx = asJob();
    const created = await createProject(ctx, createProjectInput.parse({ name: "Imported", tags: ["a", "a", "b"] }));
    expect(created).toMatchObject({ name: "Imported", version: 1, ownerId: h.users.editor.userId, tags: ["a", "b"], ownerName: "Test editor" });

    const updated = await updateProject(ctx, { id: created.id, expected: 1, patch: { status: "active" } });
    expect(updated).toMatchObject({ status: "active", version: 2 });
    const archived = await archiveProject(ctx, { id: created.id, expected: 2 });
    expect(archived.archivedAt).toBeInstanceOf(Date);
    const restored = await restoreProject(ctx, { id: created.id, expected: 3 });
    expect(restored).toMatchObject({ archivedAt: null, version: 4 });
    const reverted = await revertProject(ctx, { id: created.id, toVersion: 1, expected: 4 });
    expect(reverted).toMatchObject({ status: "planning", version: 5 });

    const events = await eventsOf(created.id);
    expect(events.map((e) => [e.action, e.version])).toEqual([
      ["created", 1],
      ["updated", 2],
      ["archived", 3],
      ["restored", 4],
      ["reverted", 5],
    ]);
    for (const e of events) expect(e).toMatchObject({ actorId: h.users.editor.userId, requestId: ctx.requestId, jobId: JOB_ID });
    expect(events[1]?.changes).toEqual({ status: { before: "planning", after: "active" } });
    // Each committed change was announced on the projects' channel.
    expect(ctx.published).toEqual(Array.from({ length: 5 }, () => ({ channel: CHANGES_CHANNEL, message: ctx.requestId })));
  });

  it("records the idempotency key the work runs under", async () => {
    const ctx = asJob({ idempotencyKey: "job-42:step-1" });
    const p = await createProject(ctx, createProjectInput.parse({ name: "Keyed" }));
    expect((await eventsOf(p.id))[0]).toMatchObject({ idempotencyKey: "job-42:step-1" });
  });

  it("a stale version is CONFLICT with the current project; nothing is written or published", async () => {
    const ctx = asJob();
    const p = await createProject(ctx, createProjectInput.parse({ name: "Contested" }));
    await updateProject(ctx, { id: p.id, expected: 1, patch: { name: "Theirs" } });
    ctx.published.length = 0;

    const err = await caught(updateProject(ctx, { id: p.id, expected: 1, patch: { name: "Mine" } }));
    expect(err.code).toBe("CONFLICT");
    expect(err.reason).toBe("VERSION_CONFLICT");
    expect(err.details).toMatchObject({ currentVersion: 2, currentEtag: '"2"', current: { id: p.id, name: "Theirs", version: 2 } });
    // If-Match semantics through the same use case: 412 instead.
    const mismatch = await caught(updateProject(ctx, { id: p.id, expected: { kind: "version", version: 1, source: "if-match" }, patch: { name: "Mine" } }));
    expect(mismatch.reason).toBe("VERSION_MISMATCH");

    expect((await eventsOf(p.id)).length).toBe(2);
    expect(ctx.published).toEqual([]);
  });

  it("an unknown project is NOT_FOUND whatever the version", async () => {
    const err = await caught(archiveProject(asJob(), { id: "00000000-0000-4000-8000-000000000000", expected: 1 }));
    expect(err).toMatchObject({ code: "NOT_FOUND", reason: "PROJECT_NOT_FOUND" });
  });

  it("publishes only after the enclosing transaction commits, and never on rollback", async () => {
    const outer = asJob();
    let id = "";
    await inTransaction(outer, async (tx) => {
      id = (await createProject(tx, createProjectInput.parse({ name: "In a unit of work" }))).id;
      await updateProject(tx, { id, expected: 1, patch: { status: "active" } });
      // Inside the transaction: nothing announced yet.
      expect(outer.published).toEqual([]);
    });
    // Committed: announced once (the same request id for both changes).
    expect(outer.published).toEqual([{ channel: CHANGES_CHANNEL, message: outer.requestId }]);

    const failing = asJob();
    let rolledBack = "";
    await expect(
      inTransaction(failing, async (tx) => {
        rolledBack = (await createProject(tx, createProjectInput.parse({ name: "Never" }))).id;
        throw new Error("the job failed after its write");
      }),
    ).rejects.toThrow("the job failed");
    expect(failing.published).toEqual([]);
    expect(await h.db.db.select().from(projects).where(eq(projects.id, rolledBack))).toEqual([]);
  });

  it("a system actor acting for no one may not change a project (project_events.actor_id names a user)", async () => {
    const p = await createProject(asJob(), createProjectInput.parse({ name: "Owned" }));
    const alone = domainContext({ db: h.db.db, kv: h.kv }, systemActor("cleanup-script"));
    await expect(updateProject(alone, { id: p.id, expected: 1, patch: { name: "Anonymous" } })).rejects.toThrow(/on behalf of a user/);
    await expect(createProject(alone, createProjectInput.parse({ name: "Nobody's" }))).rejects.toThrow(/on behalf of a user/);
    // Rolled back: the project is as it was.
    expect(await h.db.db.select({ name: projects.name, version: projects.version }).from(projects).where(eq(projects.id, p.id))).toEqual([{ name: "Owned", version: 1 }]);
  });
});
