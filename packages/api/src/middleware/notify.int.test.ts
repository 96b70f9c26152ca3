import { projects } from "@trellis/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caught, createHarness, type Harness } from "../../test/harness.js";
import { CHANGES_CHANNEL } from "../domain/project/entity.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h?.close());

describe("notifyChanges", () => {
  it("announces a procedure's change once it has committed, and nothing for a refused write", async () => {
    const heard: { message: string; seen: Promise<{ version: number }[]> }[] = [];
    const unsubscribe = await h.kv.subscribe(CHANGES_CHANNEL, (message) => {
      // Read on another statement than the writer's: after commit, the change is there to see.
      heard.push({ message, seen: h.db.db.select({ version: projects.version }).from(projects).where(eq(projects.name, "Announced")) });
    });
    try {
      const created = await h.as(h.users.editor, "req-create").project.create({ name: "Announced" });
      await new Promise((r) => setTimeout(r, 20));
      expect(heard.map((x) => x.message)).toEqual(["req-create"]);
      expect(await heard[0]?.seen).toEqual([{ version: 1 }]);

      const err = await caught(h.as(h.users.editor, "req-stale").project.update({ id: created.id, expectedVersion: 7, patch: { name: "Never" } }));
      expect(err.code).toBe("CONFLICT");
      await new Promise((r) => setTimeout(r, 20));
      expect(heard.map((x) => x.message)).toEqual(["req-create"]);
    } finally {
      await unsubscribe();
    }
  });
});
