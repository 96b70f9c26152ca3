import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { ZodError, z } from "zod";
import type { Context } from "../context.js";
import { DomainError, MAX_REPORTED_PROBLEMS, VALIDATION_MESSAGE } from "../errors.js";
import { publicProcedure } from "../procedures.js";
import { createCallerFactory, router } from "../trpc.js";
import { INPUT_LIMITS, inputTooLarge } from "./input-bounds.js";

const manyKeys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));

/** `levels` nested objects whose two fields are one shared object: 2^levels paths to the bottom. */
function sharedTree(levels: number): unknown {
  let node: Record<string, unknown> = {};
  for (let i = 0; i < levels; i++) node = { x: node, y: node };
  return node;
}

describe("inputTooLarge", () => {
  it("lets through anything a procedure accepts, with room to spare", () => {
    expect(inputTooLarge({ id: "x", expectedVersion: 1, patch: { name: "n", tags: Array(20).fill("t") } })).toBeUndefined();
    expect(inputTooLarge(manyKeys(INPUT_LIMITS.maxEntries))).toBeUndefined();
    expect(inputTooLarge(Array(INPUT_LIMITS.maxEntries).fill(1))).toBeUndefined();
    expect(inputTooLarge(undefined)).toBeUndefined();
    expect(inputTooLarge("x".repeat(100_000))).toBeUndefined();
  });

  it("refuses an object with too many keys, an array with too many items, or too many values in all", () => {
    expect(inputTooLarge(manyKeys(INPUT_LIMITS.maxEntries + 1))).toBe(`an object has more than ${INPUT_LIMITS.maxEntries} keys`);
    expect(inputTooLarge({ a: { b: manyKeys(30_000) } })).toMatch(/object has more than/);
    expect(inputTooLarge({ tags: Array(30_000).fill("") })).toMatch(/array has more than/);
    // 100 objects of 200 keys: each under the per-object limit, 20,000 values in all
    expect(inputTooLarge(Array.from({ length: 100 }, () => manyKeys(200)))).toMatch(/values in all/);
  });

  it("stops early on shared references and cycles (superjson can make both), and never recurses", () => {
    const start = performance.now();
    expect(inputTooLarge(sharedTree(60))).toMatch(/values in all/);
    const cycle: Record<string, unknown> = { name: "x" };
    cycle.self = cycle;
    expect(inputTooLarge(cycle)).toMatch(/values in all/);
    let deep: unknown = 1;
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(inputTooLarge(deep)).toMatch(/values in all/);
    expect(performance.now() - start).toBeLessThan(1_000);
  });
});

describe("the inputBounds middleware", () => {
  let parsed = 0;
  const schema = z.preprocess(
    (v) => {
      parsed++;
      return v;
    },
    z.strictObject({ name: z.string(), tags: z.array(z.string().min(1, "Tags cannot be empty")).optional() }),
  );
  const probe = router({ probe: publicProcedure.input(schema).mutation(({ input }) => input.name) });
  // Only what the middlewares before the handler read: rate limits are off for internal calls.
  const ctx = { surface: "internal", principal: null, services: { rateLimits: { enabled: false } } } as unknown as Context;
  const call = (input: unknown) => createCallerFactory(probe)(ctx).probe(input as never);

  it("refuses oversized input before it is parsed (INPUT_TOO_LARGE, with a form error)", async () => {
    parsed = 0;
    const err = await call({ name: "x", ...manyKeys(30_000) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ code: "BAD_REQUEST", reason: "INPUT_TOO_LARGE" });
    expect((err as DomainError).details.formErrors?.[0]).toMatch(/more than 256 keys/);
    expect(parsed).toBe(0);
    await expect(call({ name: "ok" })).resolves.toBe("ok");
    expect(parsed).toBe(1);
  });

  it("bounds the validation error of input it lets through: fixed message, capped issues", async () => {
    const err = await call({ name: 1, tags: [""], ...manyKeys(200) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TRPCError);
    const { code, message, cause } = err as TRPCError;
    expect({ code, message }).toEqual({ code: "BAD_REQUEST", message: VALIDATION_MESSAGE });
    expect(cause).toBeInstanceOf(ZodError);
    const issues = (cause as ZodError).issues;
    const named = issues.reduce((n, i) => n + (i.code === "unrecognized_keys" ? i.keys.length : i.code === "custom" ? 0 : 1), 0);
    expect(named).toBe(MAX_REPORTED_PROBLEMS);
    expect(issues.at(-1)?.message).toBe("and 152 more problems");
    expect(JSON.stringify(issues).length).toBeLessThan(4_000);
  });
});
