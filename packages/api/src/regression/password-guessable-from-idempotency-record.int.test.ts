import { createHash, randomUUID } from "node:crypto";
import { idempotencyRecords } from "@trellis/db";
import { FIXTURE_PASSWORD } from "@trellis/db/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caught } from "../../test/harness.js";
import { createKeyedHarness, type KeyedHarness } from "../../test/keyed.js";
import { canonicalJson } from "../canonical-json.js";
import { appRouter } from "../router.js";

// The idempotency fingerprint of auth.changePassword used to be a plain SHA-256 of its input,
// stored in Postgres: anyone who read the table (or a backup, or the WAL) and knew the old
// password could guess the new one at SHA-256 speed. Secret fields are now keyed with the server
// secret, so the stored value matches no hash computable without it.

let h: KeyedHarness;
beforeAll(async () => {
  h = await createKeyedHarness();
});
afterAll(() => h?.close());

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

describe("a password change's idempotency record", () => {
  it("stores no fingerprint that a guess of the passwords can reproduce, and still replays and refuses reuse", async () => {
    const key = randomUUID();
    const input = { currentPassword: FIXTURE_PASSWORD, newPassword: "a much longer new password" };
    expect(await h.call("viewer", { idempotencyKey: key }).caller.auth.changePassword(input)).toEqual({ ok: true, sessionsRevoked: 0 });

    const rows = await h.db.db.select().from(idempotencyRecords).where(eq(idempotencyRecords.key, key));
    expect(rows).toHaveLength(1);
    const stored = rows[0];
    if (!stored) throw new Error("no record");
    // What an attacker holding the row would try: the input as sent, in any key order.
    expect(stored.fingerprint).not.toBe(sha256(canonicalJson(input)));
    expect(stored.fingerprint).not.toBe(sha256(JSON.stringify(input)));
    const row = JSON.stringify(stored);
    expect(row).not.toContain(FIXTURE_PASSWORD);
    expect(row).not.toContain(input.newPassword);

    // Keyed, not dropped: the same intent replays, a different new password under the key is 422.
    const replay = h.call("viewer", { idempotencyKey: key });
    expect(await replay.caller.auth.changePassword(input)).toEqual({ ok: true, sessionsRevoked: 0 });
    expect(replay.response.headers["idempotent-replayed"]).toBe("true");
    const reused = await caught(h.call("viewer", { idempotencyKey: key }).caller.auth.changePassword({ ...input, newPassword: "another long new password" }));
    expect(reused).toMatchObject({ code: "UNPROCESSABLE_CONTENT", reason: "IDEMPOTENCY_KEY_REUSED" });
  });

  it("is declared in one place: every input field that holds a password is listed in meta.secretInput", () => {
    const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { meta?: { secretInput?: readonly string[] }; inputs: unknown[] } }>;
    const undeclared: string[] = [];
    let checked = 0;
    for (const [path, procedure] of Object.entries(procedures)) {
      for (const schema of procedure._def.inputs) {
        const shape = (schema as { shape?: Record<string, unknown> }).shape;
        for (const field of Object.keys(shape ?? {})) {
          if (!/password|secret/i.test(field)) continue;
          checked++;
          if (!procedure._def.meta?.secretInput?.includes(field)) undeclared.push(`${path}.${field}`);
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(3); // login.password, changePassword.currentPassword/newPassword
    expect(undeclared).toEqual([]);
  });
});
