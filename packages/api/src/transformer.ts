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

/**
 * The annotations a Trellis payload may carry: what our serializer and superjson's fallback write
 * for the values procedures take and return. Anything else is refused before superjson acts on
 * it: a `typed-array` annotation on a number made superjson call `new Uint8Array(2147483648)`
 * (2 GiB from a 70-byte request), and no procedure takes a typed array, regexp, error or class.
 */
const allowedAnnotations = new Set(["undefined", "Date", "number", "bigint", "map", "set"]);

/** A payload superjson must not deserialize (an annotation no procedure needs). */
export class DisallowedAnnotationError extends Error {
  override name = "DisallowedAnnotationError";
}

/** Walks superjson's annotation tree (`[type, children?]` nodes, or records of them). */
function checkAnnotations(node: unknown, budget: { left: number }): void {
  if (--budget.left < 0) throw new DisallowedAnnotationError("Too many type annotations");
  if (Array.isArray(node)) {
    const [type, children] = node as [unknown, unknown];
    if (typeof type !== "string" || !allowedAnnotations.has(type)) {
      throw new DisallowedAnnotationError(`Unsupported type annotation ${JSON.stringify(type)?.slice(0, 40)}`);
    }
    if (children !== undefined) checkAnnotations(children, budget);
    return;
  }
  if (node !== null && typeof node === "object") {
    for (const child of Object.values(node)) checkAnnotations(child, budget);
  }
}

function deserialize(payload: Serialized): unknown {
  const values: unknown = (payload as { meta?: { values?: unknown } } | null)?.meta?.values;
  // The input bounds (INPUT_LIMITS) count values after this, so bound the tree's walk here too.
  if (values !== undefined) checkAnnotations(values, { left: 20_000 });
  return superjson.deserialize(payload);
}

/** Fast serialize, superjson's own deserialize (of the annotations we use). */
export const transformer = {
  serialize,
  deserialize: deserialize as typeof superjson.deserialize,
};
