import { projectEvents, projects } from "@trellis/db";
import { count } from "drizzle-orm";
import { ZodError } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caught, createHarness, type Harness } from "../../test/harness.js";
import { fieldErrorsOf } from "../errors.js";

// Postgres text cannot hold U+0000. A NUL in a name, description, tag or search used to reach
// the query and fail it: a 500 for what is the caller's mistake. It must be a 400 on the field.

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
  expect(Object.keys(fieldErrorsOf(err.cause as ZodError).fieldErrors!)).toEqual([field]);
}

describe("a NUL character in text input", () => {
  it("is a bad request on the field for create and update, and writes nothing", async () => {
    const editor = h.as(h.users.editor);
    const p = await editor.project.create({ name: "Nul target" });
    const before = await counts();

    await expectFieldError(editor.project.create({ name: "a\u0000b" }), "name");
    await expectFieldError(editor.project.create({ name: "ok", description: "x\u0000" }), "description");
    await expectFieldError(editor.project.create({ name: "ok", tags: ["fine", "bad\u0000"] }), "tags.1");
    await expectFieldError(editor.project.update({ id: p.id, expectedVersion: 1, patch: { name: "\u0000" } }), "patch.name");

    expect(await counts()).toEqual(before);
    expect(await editor.project.byId({ id: p.id })).toEqual(p);
  });

  it("is a bad request on q for list", async () => {
    await expectFieldError(h.as(h.users.viewer).project.list({ q: "rock\u0000et" }), "q");
  });
});
