import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caught, createHarness, type Harness } from "../../test/harness.js";
import { DomainError } from "../errors.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h?.close());

describe("versioned writes through tRPC", () => {
  it("require expectedVersion from untyped callers, naming the field", async () => {
    const editor = h.as(h.users.editor);
    const p = await editor.project.create({ name: "Needs a version" });
    const untyped = editor.project.update as unknown as (input: object) => Promise<unknown>;
    const e = await caught(untyped({ id: p.id, patch: { name: "x" } }));
    expect(e.code).toBe("BAD_REQUEST");
    expect(e instanceof DomainError && e.reason).toBe("EXPECTED_VERSION_REQUIRED");
    expect(e instanceof DomainError && e.details.fieldErrors).toEqual({ expectedVersion: ["Required"] });
    const wrongType = await caught(untyped({ id: p.id, expectedVersion: "1", patch: { name: "x" } }));
    expect(wrongType.code).toBe("BAD_REQUEST");
    expect((await editor.project.byId({ id: p.id })).version).toBe(1);
  });

  it("report a stale expectedVersion as a 409 conflict carrying the current ETag", async () => {
    const editor = h.as(h.users.editor);
    const p = await editor.project.create({ name: "Stale" });
    await editor.project.update({ id: p.id, expectedVersion: 1, patch: { name: "Fresh" } });
    const e = await caught(editor.project.update({ id: p.id, expectedVersion: 1, patch: { name: "Stale again" } }));
    expect(e.code).toBe("CONFLICT");
    expect(e instanceof DomainError && e.details).toMatchObject({ currentVersion: 2, currentEtag: '"2"' });
  });
});
