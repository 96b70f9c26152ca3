import { apiTokens, authEvents } from "@trellis/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { domainContext } from "../../../test/domain.js";
import { caught, createHarness, type Harness } from "../../../test/harness.js";
import { systemActor } from "../context.js";
import { createApiToken } from "./create.js";
import { revokeApiToken } from "./revoke.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h?.close());

describe("API tokens as the system actor", () => {
  it("creates and revokes a token of the user it acts for, within the per-user limit", async () => {
    const ctx = domainContext({ db: h.db.db, kv: h.kv }, systemActor("rotation-job", h.users.editor.userId));
    const created = await createApiToken(ctx, { name: "ci", scope: "read", expiresInDays: 30 }, { limit: 1 });
    expect(created.token).toMatch(/^trellis_pat_/);
    const [row] = await h.db.db.select().from(apiTokens).where(eq(apiTokens.id, created.id));
    expect(row).toMatchObject({ userId: h.users.editor.userId, revokedAt: null });

    const full = await caught(createApiToken(ctx, { name: "second", scope: "read", expiresInDays: 30 }, { limit: 1 }));
    expect(full).toMatchObject({ reason: "TOKEN_LIMIT_REACHED", details: { limit: 1 } });

    expect((await revokeApiToken(ctx, { id: created.id })).revokedAt).toBeInstanceOf(Date);
    const events = await h.db.db.select().from(authEvents).where(eq(authEvents.targetId, created.id)).orderBy(authEvents.id);
    expect(events.map((e) => [e.action, e.actorId])).toEqual([
      ["token_created", h.users.editor.userId],
      ["token_revoked", h.users.editor.userId],
    ]);
  });

  it("someone else's token is not found", async () => {
    const mine = await createApiToken(domainContext({ db: h.db.db, kv: h.kv }, systemActor("job", h.users.editor.userId)), { name: "x", scope: "read", expiresInDays: 1 }, { limit: 10 });
    const other = domainContext({ db: h.db.db, kv: h.kv }, systemActor("job", h.users.viewer.userId));
    expect((await caught(revokeApiToken(other, { id: mine.id }))).reason).toBe("TOKEN_NOT_FOUND");
  });

  it("needs a user to act for", async () => {
    const alone = domainContext({ db: h.db.db, kv: h.kv }, systemActor("cleanup-script"));
    await expect(createApiToken(alone, { name: "x", scope: "read", expiresInDays: 1 }, { limit: 10 })).rejects.toThrow(/on behalf of a user/);
  });
});
