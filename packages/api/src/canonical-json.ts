/** Far deeper than any procedure's input; deeper input is refused before it can overflow the stack. */
export const CANONICAL_JSON_MAX_DEPTH = 64;

export class NestingTooDeepError extends RangeError {
  constructor() {
    super(`Nested more than ${CANONICAL_JSON_MAX_DEPTH} levels deep`);
    this.name = "NestingTooDeepError";
  }
}

/**
 * One canonical JSON text per value: object keys sorted at every depth, undefined members left
 * out, so key order and whitespace never matter. The idempotency fingerprint hashes it on the
 * server; the dashboard compares inputs with it. Browser-safe: no Node imports.
 *
 * Anything superjson can make of a request is taken without throwing (each of these was a 500,
 * found by the fuzz test): an Invalid Date, a BigInt, a `__proto__` key. Nesting deeper than
 * CANONICAL_JSON_MAX_DEPTH throws NestingTooDeepError.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value, 0)) ?? "null";
}

function sortKeys(value: unknown, depth: number): unknown {
  if (depth > CANONICAL_JSON_MAX_DEPTH) throw new NestingTooDeepError();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString();
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return value.map((v) => sortKeys(v, depth + 1));
  if (value && typeof value === "object") {
    const entries: Array<[string, unknown]> = [];
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) entries.push([k, sortKeys(v, depth + 1)]);
    }
    // fromEntries keeps `__proto__` as a key (an assignment would set the prototype instead).
    return Object.fromEntries(entries);
  }
  return value;
}
