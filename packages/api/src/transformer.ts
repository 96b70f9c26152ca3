/**
 * The tRPC transformer: superjson's wire format, with a faster serializer for the values our
 * procedures return (plain objects, arrays, strings, finite numbers, booleans, null, undefined and
 * Dates). superjson's general walker was 28% of the CPU of a 50-row list request (see bench/README.md);
 * this one produces the same output for those values and hands anything else (Map, Set, BigInt,
 * NaN, -0, class instances, shared references, ...) to superjson itself, so clients keep using
 * plain superjson and never see a difference (transformer.property.test.ts checks that).
 */
import superjson from "superjson";

type Annotations = Record<string, [string]>;
type Serialized = ReturnType<typeof superjson.serialize>;

const escapeKey = (key: string) => (key.includes(".") || key.includes("\\") ? key.replace(/\\/g, "\\\\").replace(/\./g, "\\.") : key);

class Fallback extends Error {}
const fallback = new Fallback();

/** `path` is superjson's escaped dotted path of `value`; undefined at the root (a key may be ""). */
function walk(value: unknown, path: string | undefined, annotations: Annotations, seen: Set<object>): unknown {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      // superjson annotates NaN, ±Infinity and -0 (JSON would send -0 as 0)
      if (!Number.isFinite(value) || Object.is(value, -0)) throw fallback;
      return value;
    case "undefined":
      if (path === undefined) throw fallback; // root undefined has a special shape
      annotations[path] = ["undefined"];
      return null;
    case "object": {
      if (value === null) return null;
      if (seen.has(value)) throw fallback; // superjson records referential equalities
      seen.add(value);
      const prefix = path === undefined ? "" : `${path}.`;
      if (value instanceof Date) {
        if (Number.isNaN(value.getTime()) || path === undefined) throw fallback;
        annotations[path] = ["Date"];
        return value.toISOString();
      }
      if (Array.isArray(value)) {
        const out: unknown[] = new Array(value.length);
        for (let i = 0; i < value.length; i++) {
          if (!(i in value)) throw fallback; // holes
          out[i] = walk(value[i], `${prefix}${i}`, annotations, seen);
        }
        return out;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) throw fallback;
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value)) {
        if (key === "__proto__" || key === "constructor" || key === "prototype") throw fallback; // superjson throws
        out[key] = walk((value as Record<string, unknown>)[key], `${prefix}${escapeKey(key)}`, annotations, seen);
      }
      return out;
    }
    default:
      throw fallback; // bigint, symbol, function
  }
}

export function serialize(value: unknown): Serialized {
  const annotations: Annotations = {};
  try {
    const json = walk(value, undefined, annotations, new Set());
    for (const _ in annotations) return { json, meta: { values: annotations, v: 1 } } as Serialized;
    return { json } as Serialized;
  } catch (e) {
    if (e === fallback) return superjson.serialize(value);
    throw e;
  }
}

/** Fast serialize, superjson's own deserialize. */
export const transformer = {
  serialize,
  deserialize: superjson.deserialize.bind(superjson) as typeof superjson.deserialize,
};
