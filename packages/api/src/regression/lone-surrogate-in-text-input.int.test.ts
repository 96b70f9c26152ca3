import { projectEvents, projects } from "@trellis/db";
import { count } from "drizzle-orm";
import { ZodError } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caught, createHarness, type Harness } from "../../test/harness.js";
import { fieldErrorsOf } from "../errors.js";

// A lone UTF-16 surrogate ("\uD83D" without its pair) is a valid JS string and a valid JSON escape,
// and a text column takes it, but the audit event's jsonb does not: the write failed with a 500
// (found by the fuzz test). It is now a field error, like NUL.

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h?.close());

async function counts() {
  const [[p], [e]] = await Promise.all([
    h.db.db.select({ n: count() }).from(projects),
    h.db.db.select({ n: count() }).from(projectEvents),
  ]);
  return { projects: Number(p!.n), events: Number(e!.n) };
}

async function expectFieldError(call: Promise<unknown>, field: string) {
  const err = await caught(call);
  expect(err.code).toBe("BAD_REQUEST");
  expect(err.cause).toBeInstanceOf(ZodError);
  expect(fieldErrorsOf(err.cause as ZodError).fieldErrors).toEqual({ [field]: ["Must be valid Unicode text"] });
}

describe("a lone surrogate in text input", () => {
  it("is a bad request on the field for create and update, and writes nothing", async () => {
    const editor = h.as(h.users.editor);
    const p = await editor.project.create({ name: "Surrogate target" });
    const before = await counts();

    await expectFieldError(editor.project.create({ name: "x\uD83D" }), "name");
    await expectFieldError(editor.project.create({ name: "ok", description: "\uDE00 low first" }), "description");
    await expectFieldError(editor.project.create({ name: "ok", tags: ["fine", "\uD800"] }), "tags.1");
    await expectFieldError(editor.project.update({ id: p.id, expectedVersion: 1, patch: { name: "a\uDFFFb" } }), "patch.name");
    expect(await counts()).toEqual(before);
  });

  it("accepts real surrogate pairs (emoji, astral scripts)", async () => {
    const created = await h.as(h.users.editor).project.create({ name: "😀 𝕏 𒀀", tags: ["🚀"], description: "\uD83D\uDE00" });
    expect(created).toMatchObject({ name: "😀 𝕏 𒀀", tags: ["🚀"], description: "😀" });
    const events = await h.as(h.users.editor).project.activity({ id: created.id });
    expect(events.items[0]?.changes.name?.after).toBe("😀 𝕏 𒀀");
  });
});
