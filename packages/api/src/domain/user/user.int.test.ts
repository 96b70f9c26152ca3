import { authEvents } from "@trellis/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { domainContext } from "../../../test/domain.js";
import { caught, createHarness, type Harness } from "../../../test/harness.js";
import { systemActor } from "../context.js";
import { deactivateUser, reactivateUser, revokeUserSessions, setUserRole } from "./administer.js";
import { inviteUser } from "./invite.js";

// User administration called directly, as a job or script would: no HTTP, no SessionSigner.

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h?.close());

const eventsFor = (targetId: string) => h.db.db.select().from(authEvents).where(eq(authEvents.targetId, targetId)).orderBy(authEvents.id);

describe("user administration as the system actor", () => {
  it("invites, changes the role, deactivates and reactivates, each auth event naming the admin the job acts for", async () => {
    const ctx = domainContext({ db: h.db.db, kv: h.kv }, systemActor("provisioning-job", h.users.admin.userId));
    const { user, temporaryPassword } = await inviteUser(ctx, { email: "new@test.local", name: "New", role: "viewer" });
    expect(temporaryPassword).toMatch(/^[\w-]{20}$/);
    expect(await setUserRole(ctx, { id: user.id, role: "editor" })).toMatchObject({ role: "editor" });
    expect((await deactivateUser(ctx, { id: user.id })).deactivatedAt).toBeInstanceOf(Date);
    expect(await revokeUserSessions(ctx, { id: user.id })).toEqual({ revoked: 0 });
    expect(await reactivateUser(ctx, { id: user.id })).toMatchObject({ deactivatedAt: null });

    const events = await eventsFor(user.id);
    expect(events.map((e) => e.action)).toEqual(["user_invited", "role_changed", "user_deactivated", "sessions_revoked", "user_reactivated"]);
    for (const e of events) expect(e).toMatchObject({ actorId: h.users.admin.userId, requestId: ctx.requestId, ip: null });
  });

  it("a system actor acting for no one is recorded as the system (auth_events.actor_id is null)", async () => {
    const ctx = domainContext({ db: h.db.db, kv: h.kv }, systemActor("cleanup-script"));
    const { user } = await inviteUser(ctx, { email: "script@test.local", name: "Scripted", role: "viewer" });
    expect(await eventsFor(user.id)).toEqual([expect.objectContaining({ action: "user_invited", actorId: null })]);
  });

  it("keeps its rules without HTTP: never the last admin, unknown users not found", async () => {
    const ctx = domainContext({ db: h.db.db, kv: h.kv }, systemActor("job", h.users.admin.userId));
    expect((await caught(deactivateUser(ctx, { id: h.users.admin.userId }))).reason).toBe("LAST_ADMIN");
    expect((await caught(setUserRole(ctx, { id: "00000000-0000-4000-8000-000000000000", role: "viewer" }))).reason).toBe("USER_NOT_FOUND");
  });
});
