import { projects } from "@trellis/db";
import { TRPCError } from "@trpc/server";
import { getErrorShape } from "@trpc/server/unstable-core-do-not-import";
import { count } from "drizzle-orm";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError, z } from "zod";
import { caught, createHarness, type Harness } from "../../test/harness.js";
import { boundedIssues, errorData, fieldErrorsOf, MAX_PATH_LENGTH, MAX_REPORTED_PROBLEMS, UNKNOWN_FIELD, VALIDATION_MESSAGE } from "../errors.js";
import { INPUT_LIMITS } from "../middleware/input-bounds.js";
import { appRouter } from "../router.js";

// A JSON object of N unknown keys answered a validation error that grew with N²: zod names every
// unknown key in one message, and fieldErrorsOf copied that message once per key. 2,000 keys (an
// 18.9 KB request) made a 41.9 MB answer; 30,000 keys (311 KB, under the body limit) blocked the
// event loop ~50 s and killed the process inside JSON.stringify. Now inputs with more keys than any
// schema allows are refused before validation (INPUT_TOO_LARGE), and what a validation error says
// is bounded whatever the input: a fixed message per unknown key, at most 50 problems named, the
// rest counted, long key names cut.

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h?.close());

const manyKeys = (n: number, prefix = "k") => Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, i]));

/** The error as a client receives it: the formatted shape (as the adapters build it) and its size serialized. */
function onTheWire(err: Awaited<ReturnType<typeof caught>>, path: string) {
  const shape = getErrorShape({ config: appRouter._def._config, error: err, type: "mutation", path, input: undefined, ctx: undefined });
  return { message: shape.message, size: JSON.stringify(superjson.serialize(shape)).length };
}

describe("30,000 unknown keys", () => {
  it.each([
    ["auth.login", () => h.as(null).auth.login({ email: "a@b.c", password: "x", ...manyKeys(30_000) } as never)],
    ["project.create", () => h.as(h.users.editor).project.create({ name: "x", ...manyKeys(30_000) } as never)],
  ])("on %s are a small, fast INPUT_TOO_LARGE", async (path, send) => {
    const started = performance.now();
    const err = await caught(send());
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(err.code).toBe("BAD_REQUEST");
    const data = errorData(err, "req-1");
    expect(data.reason).toBe("INPUT_TOO_LARGE");
    expect(data.formErrors).toEqual([expect.stringMatching(/more than 256 keys/)]);
    expect(err.message.length).toBeLessThan(200);
    expect(onTheWire(err, path).size).toBeLessThan(2_000);
  });

  it("write nothing", async () => {
    const [row] = await h.db.db.select({ n: count() }).from(projects);
    expect(Number(row!.n)).toBe(0);
  });
});

describe("as many unknown keys as the input limit lets through", () => {
  // Beside the valid fields, as many keys as one object may have.
  const login = INPUT_LIMITS.maxEntries - 2;
  const create = INPUT_LIMITS.maxEntries - 1;
  it.each([
    ["auth.login", login, () => h.as(null).auth.login({ email: "someone@example.com", password: "x", ...manyKeys(login) } as never)],
    ["project.create", create, () => h.as(h.users.editor).project.create({ name: "x", ...manyKeys(create) } as never)],
  ])("on %s are a validation error naming 50 of them, and counting the rest", async (path, unknown, send) => {
    const err = await caught(send());
    expect(err.code).toBe("BAD_REQUEST");
    expect(err.message).toBe(VALIDATION_MESSAGE);
    const data = errorData(err, "req-1");
    expect(data.reason).toBe("VALIDATION_FAILED");
    expect(data.fieldErrors).toEqual(Object.fromEntries(Array.from({ length: MAX_REPORTED_PROBLEMS }, (_, i) => [`k${i}`, [UNKNOWN_FIELD]])));
    expect(data.formErrors).toEqual([`and ${unknown - MAX_REPORTED_PROBLEMS} more problems`]);
    expect(onTheWire(err, path)).toEqual({ message: VALIDATION_MESSAGE, size: expect.any(Number) });
    expect(onTheWire(err, path).size).toBeLessThan(4_000);
  });
});

describe("fieldErrorsOf", () => {
  const sizeOf = (v: unknown) => JSON.stringify(v).length;

  it("stays small for one issue naming 30,000 keys", () => {
    const error = z.strictObject({ name: z.string() }).safeParse({ name: "x", ...manyKeys(30_000) }).error!;
    expect(error.issues).toHaveLength(1);
    const started = performance.now();
    const out = fieldErrorsOf(error);
    expect(performance.now() - started).toBeLessThan(100);
    expect(Object.keys(out.fieldErrors!)).toHaveLength(MAX_REPORTED_PROBLEMS);
    expect(Object.values(out.fieldErrors!).every((m) => m.length === 1 && m[0] === UNKNOWN_FIELD)).toBe(true);
    expect(out.formErrors).toEqual(["and 29,950 more problems"]);
    expect(sizeOf(out)).toBeLessThan(2_000);
  });

  it("stays small for 30,000 issues", () => {
    const error = z.array(z.string()).safeParse(Array(30_000).fill(1)).error!;
    expect(error.issues).toHaveLength(30_000);
    const out = fieldErrorsOf(error);
    expect(Object.keys(out.fieldErrors!)).toEqual(Array.from({ length: MAX_REPORTED_PROBLEMS }, (_, i) => String(i)));
    expect(out.formErrors).toEqual(["and 29,950 more problems"]);
    expect(sizeOf(out)).toBeLessThan(4_000);
  });

  it("cuts long key names and keeps nested paths", () => {
    const long = "k".repeat(100_000);
    const error = z.strictObject({ patch: z.strictObject({}) }).safeParse({ patch: { [long]: 1 }, [long]: 2 }).error!;
    const out = fieldErrorsOf(error);
    const paths = Object.keys(out.fieldErrors!);
    expect(paths).toHaveLength(2);
    for (const p of paths) expect(p.length).toBeLessThanOrEqual(MAX_PATH_LENGTH);
    expect(paths.some((p) => p.startsWith("patch.kkk") && p.endsWith("…"))).toBe(true);
    expect(sizeOf(out)).toBeLessThan(1_000);
  });

  it("bounds tRPC's own error too, as the formatter sends it (for a procedure without the middleware)", () => {
    const cause = z.strictObject({ name: z.string() }).safeParse({ name: "x", ...manyKeys(30_000) }).error!;
    const err = new TRPCError({ code: "BAD_REQUEST", cause });
    expect(err.message.length).toBeGreaterThan(300_000); // zod's JSON, naming every key twice
    const wire = onTheWire(err, "project.create");
    expect(wire.message).toBe(VALIDATION_MESSAGE);
    expect(wire.size).toBeLessThan(4_000);
  });

  it("counts what was left out once, however often it is bounded", () => {
    // The input middleware bounds the error it passes on; the formatter bounds it again.
    const error = z.array(z.string()).safeParse(Array(60).fill(1)).error!;
    const once = fieldErrorsOf(error);
    expect(once.formErrors).toEqual(["and 10 more problems"]);
    expect(fieldErrorsOf(new ZodError(boundedIssues(error.issues)))).toEqual(once);
  });
});
