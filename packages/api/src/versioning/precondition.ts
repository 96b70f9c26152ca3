/**
 * What a versioned write requires of the current version: a number (from `expectedVersion` or a
 * strong `If-Match` ETag), anything that exists (`If-Match: *`), or nothing can match
 * (weak or malformed validators: RFC 9110 says If-Match uses strong comparison).
 */
export type Precondition =
  | { kind: "version"; version: number; source: "input" | "if-match" }
  | { kind: "any" }
  | { kind: "never" };

/** Strong ETag for a version: `"7"`. Versions change on every write, so it is a valid validator. */
export function etagFor(version: number): string {
  return `"${version}"`;
}

const strongTag = /^"(\d{1,10})"$/;

/** Parses an If-Match header (a list of entity tags or `*`). */
export function parseIfMatch(header: string): Precondition {
  const value = header.trim();
  if (value === "*") return { kind: "any" };
  // Several tags may be listed; only one version can be current, so at most one strong tag is useful.
  const versions = value
    .split(",")
    .map((t) => t.trim().match(strongTag)?.[1])
    .filter((v): v is string => v !== undefined)
    .map(Number)
    .filter((v) => Number.isSafeInteger(v) && v >= 1);
  const [only, ...more] = versions;
  if (only !== undefined && more.length === 0) return { kind: "version", version: only, source: "if-match" };
  return { kind: "never" };
}

/** Does the current version satisfy the precondition? */
export function satisfies(p: Precondition, currentVersion: number): boolean {
  if (p.kind === "any") return true;
  if (p.kind === "never") return false;
  return p.version === currentVersion;
}
