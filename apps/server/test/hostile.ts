import fc from "fast-check";

// Generators of hostile input for the fuzz test: values a careless or malicious client can send.

/** Strings that have broken parsers, validators, databases and renderers before. */
const NASTY_STRINGS = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\uD800", // lone high surrogate
  "\uDFFF", // lone low surrogate
  "x\uD83D",
  "\u202Eevil\u202C", // right-to-left override
  "\u200B\u200C\u200D\u2060", // zero-width
  "\uFEFF",
  "\uFFFE\uFFFF",
  "ﷺ",
  "𝕏𝔂𝔃",
  "e\u0301\u0301\u0301",
  "مرحبا",
  "\r\n\t\v\f",
  "' OR 1=1 --",
  "'; DROP TABLE projects; --",
  "%",
  "_",
  "\\",
  "%00",
  "${jndi:ldap://x}",
  "{{7*7}}",
  "<script>alert(1)</script>",
  "null",
  "undefined",
  "NaN",
  "Infinity",
  "-0",
  "1e999",
  "0x1f",
  " 12 ",
  "true",
  "__proto__",
  "constructor",
  "2024-02-30",
  "0000-00-00",
  "0000-01-01",
  "1899-12-31",
  "9999-12-31",
  "10000-01-01",
  "+275760-09-13",
  "-271821-04-19",
  "2026-13-01",
  "2026-01-01T00:00:00.000Z",
  "00000000-0000-0000-0000-000000000000",
  "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF",
  "not-a-uuid",
  "0b1c5e6e-1a1a-4a4a-8a8a-1a1a1a1a1a1g",
  "0b1c5e6e1a1a4a4a8a8a1a1a1a1a1a1a",
  "{",
  "[]",
  "W3siYSI6MX1d", // base64 of [{"a":1}]
  "WyJuYW1lX2FzYyIsIngiLCJ5Il0", // base64url of ["name_asc","x","y"]
  "WyJjcmVhdGVkQXRfZGVzYyIsIjAwMDAtMDEtMDFUMDA6MDA6MDAuMDAwWiIsIjAwMDAwMDAwLTAwMDAtMDAwMC0wMDAwLTAwMDAwMDAwMDAwMCJd",
  "99999999999999999999",
  "-1",
];

/** Any UTF-16 code units, lone surrogates and NUL included. */
const codeUnits = fc
  .array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 24 })
  .map((units) => String.fromCharCode(...units));

const huge = fc
  .tuple(fc.constantFrom(201, 10_001, 70_000, 400_000), fc.constantFrom("x", "\uD800", "é", "\u0000", "𝕏", "%"))
  .map(([n, c]) => c.repeat(n));

/** Hostile strings of ordinary length. */
const shortHostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 2, arbitrary: codeUnits },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
);

/** Hostile strings, huge ones included (at most one per value: nested, they would only eat memory). */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: shortHostileString },
  { weight: 1, arbitrary: huge },
);

export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -0, -1, 1, 0.5, -0.5, 2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 53, 2 ** 53 + 2, 1e21, 1e308, -1e308, Number.MIN_VALUE, Number.EPSILON),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** Object keys that have polluted prototypes or confused code that trusts key names. */
export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom("__proto__", "constructor", "prototype", "toString", "valueOf", "hasOwnProperty", "", " ", "\u0000", "a.b", "0", "length", "then"),
  fc.string({ maxLength: 8 }),
);

/** Objects built with own properties, so `__proto__` is a real key once serialized. */
const objectOf = <T>(entries: fc.Arbitrary<Array<[string, T]>>) => entries.map((e) => Object.fromEntries(e) as Record<string, T>);

/** Any JSON value, hostile at every level. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    shortHostileString,
    hostileNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 4 }),
    objectOf(fc.array(fc.tuple(hostileKey, tie("value")), { maxLength: 4 })),
  ),
})).value;

/** Mostly `valid`, sometimes hostile: reaches the code behind validation as well as validation. */
export const mostly = <T>(valid: fc.Arbitrary<T>): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 16, arbitrary: valid as fc.Arbitrary<unknown> },
    { weight: 4, arbitrary: hostileValue },
    { weight: 1, arbitrary: huge },
  );

/** `arb` about `percent`% of the time, null otherwise. */
export const sometimes = <T>(arb: fc.Arbitrary<T>, percent: number): fc.Arbitrary<T | null> =>
  fc.oneof({ weight: percent, arbitrary: arb }, { weight: 100 - percent, arbitrary: fc.constant(null) });

/**
 * Objects wider than any input: many keys, around the input limit (256 per object) and beyond,
 * sometimes long, named after a hostile key. Each unknown key is a problem a validation error
 * must not answer at length (that was a 41.9 MB answer for 2,000 keys: regression/unknown-keys-exhaust-heap).
 * Built in one step, not key by key, so even 5,000 keys cost little to generate.
 */
export const manyKeys: fc.Arbitrary<Record<string, unknown>> = fc
  .record({
    count: fc.constantFrom(51, 255, 256, 257, 5_000),
    keyLength: fc.constantFrom(0, 8, 600),
    key: hostileKey,
    value: fc.oneof(fc.constant<unknown>(1), shortHostileString),
  })
  .map(({ count, keyLength, key, value }) => {
    // Long keys only as many as one object may have: 255 × 600 characters stay far under the body limit.
    const n = keyLength > 100 ? Math.min(count, 255) : count;
    return Object.fromEntries(Array.from({ length: n }, (_, i) => [`${key}${i}`.padEnd(keyLength, "k"), value]));
  });

/** An array of many bad items: beyond the longest valid array (20 tags), around the input limit and beyond. */
const manyBadItems: fc.Arbitrary<unknown[]> = fc
  .tuple(fc.constantFrom(20, 21, 256, 257, 2_000), fc.constantFrom<unknown>("", 1, null, "x".repeat(40), "\u0000", {}, []))
  .map(([n, item]) => Array(n).fill(item));

/**
 * Many problems in one input: every field wrong at once (a hostile value, an array of many bad
 * items, or a wide object), sometimes beside many unknown keys.
 */
export function manyProblems(fields: readonly string[]): fc.Arbitrary<Record<string, unknown>> {
  const wrong = fc.oneof(hostileValue, manyBadItems, manyKeys);
  return fc
    .tuple(fc.tuple(...fields.map(() => wrong)), sometimes(manyKeys, 30))
    .map(([values, extra]) => ({ ...extra, ...Object.fromEntries(fields.map((f, i) => [f, values[i]])) }));
}

/**
 * An object with these fields, each present or not, each mostly valid; sometimes with an extra
 * hostile key, sometimes with many, sometimes with every field wrong, sometimes replaced by a
 * hostile value altogether.
 */
export function objectInput(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<unknown> {
  const record = fc.record(
    Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, fc.option(v, { nil: undefined, freq: 4 })])),
  );
  const withExtra = fc.tuple(record, sometimes(fc.tuple(hostileKey, hostileValue), 15)).map(([r, extra]) => {
    const entries = Object.entries(r).filter(([, v]) => v !== undefined);
    if (extra) entries.push(extra);
    return Object.fromEntries(entries);
  });
  const wide = fc.tuple(record, manyKeys).map(([r, extra]) => ({ ...extra, ...Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) }));
  return fc.oneof(
    { weight: 10, arbitrary: withExtra },
    { weight: 2, arbitrary: hostileValue },
    { weight: 1, arbitrary: wide },
    { weight: 1, arbitrary: manyProblems(Object.keys(fields)) },
  );
}

/** Deep nesting as JSON text (JSON.stringify of such a value would itself overflow). */
export const deepJson: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(65, 1_000, 20_000, 100_000), fc.boolean())
  .map(([depth, arrays]) => (arrays ? `${"[".repeat(depth)}${"]".repeat(depth)}` : `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`));

/** Text that is not JSON, or JSON that hides something. */
export const malformedJson: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "",
    "{",
    "}",
    "[1,2",
    '{"a":}',
    "nul",
    "\u0000",
    "\uFEFF{}",
    '{"json":{}} trailing',
    '{"json":',
    "'single'",
    "{json:1}",
    '{"__proto__":{"polluted":true}}',
    '{"json":{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}}',
    '{"constructor":{"prototype":{"polluted":true}}}',
    '{"a":1,"a":2}',
    "1e99999",
    '"\\ud800"',
    "[".repeat(5),
  ),
  deepJson,
  codeUnits,
);

/** A header value fetch will send: visible ASCII and Latin-1, no CR/LF/NUL. */
export const headerValue: fc.Arbitrary<string> = fc.oneof(
  fc
    .array(fc.oneof(fc.integer({ min: 0x21, max: 0x7e }), fc.integer({ min: 0xa1, max: 0xff })), { minLength: 1, maxLength: 300 })
    .map((cs) => String.fromCharCode(...cs)),
  fc.constantFrom("x".repeat(256), "x".repeat(8_000), "\u00e9", "a b", "*"),
);

export const contentTypes = [
  "application/json",
  "application/json; charset=utf-8",
  "application/json; charset=utf-16",
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/xml",
  "application/octet-stream",
  "application/jsonx",
] as const;
