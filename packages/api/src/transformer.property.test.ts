import fc from "fast-check";
import superjson from "superjson";
import { describe, expect, it } from "vitest";
import { serialize, transformer } from "./transformer.js";

/** What a client receives: the serialized value as JSON text, parsed again. */
const overTheWire = (serialized: unknown) => JSON.parse(JSON.stringify(serialized)) as ReturnType<typeof superjson.serialize>;

// Keys that exercise the path escaping (dots, backslashes) and the keys superjson refuses.
const key = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }),
  fc.constantFrom("", ".", "a.b", "a\\b", "\\.", "..", "0", "__proto__", "constructor", "prototype"),
);
const leaf = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }), // any code point, lone surrogates included
  fc.double(), // -0, NaN, ±Infinity included
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.date(), // Invalid Date included
);
const { value } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small", withCrossShrink: true }, leaf, tie("array"), tie("object")),
  array: fc.array(tie("value"), { maxLength: 5 }),
  object: fc.dictionary(key, tie("value"), { maxKeys: 5, noNullPrototype: true }),
}));

/** superjson sends an Invalid Date as null: no round trip for those, only the same bytes as superjson. */
const hasInvalidDate = (x: unknown): boolean =>
  x instanceof Date ? Number.isNaN(x.getTime()) : typeof x === "object" && x !== null && Object.values(x).some(hasInvalidDate);

/** The result of `fn`, or the error it throws. */
function attempt<T>(fn: () => T): { ok: true; value: T } | { ok: false; error: unknown } {
  try {
    return { ok: true, value: fn() };
  } catch (error) {
    return { ok: false, error };
  }
}

describe("transformer (property)", () => {
  it("serializes plain data exactly as superjson does, and superjson's deserialize gives the value back", () => {
    fc.assert(
      fc.property(value, (x) => {
        const theirs = attempt(() => superjson.serialize(x));
        const ours = attempt(() => serialize(x));
        expect(ours.ok).toBe(theirs.ok); // superjson refuses `__proto__` keys; so must we
        if (!ours.ok || !theirs.ok) return;
        // The same JSON and the same annotations. (Their order may differ: annotated values are
        // leaves, Dates and undefined, so the order superjson applies them in changes nothing.)
        expect(ours.value).toStrictEqual(theirs.value);
        if (!hasInvalidDate(x)) expect(superjson.deserialize(overTheWire(ours.value))).toStrictEqual(x);
      }),
      { numRuns: 300 },
    );
  });

  it("deserializes what plain superjson serializes (a client that sends superjson)", () => {
    fc.assert(
      fc.property(value, (x) => {
        const theirs = attempt(() => superjson.serialize(x));
        if (!theirs.ok || hasInvalidDate(x)) return;
        expect(transformer.deserialize(overTheWire(theirs.value))).toStrictEqual(x);
      }),
      { numRuns: 300 },
    );
  });
});
