import { ZodError } from "zod";
import { boundedValidationError, DomainError } from "../errors.js";
import { middleware } from "../trpc.js";

/**
 * The most any input may hold, checked before validation. Far above what any procedure accepts:
 * the widest input object has 8 fields (project.list) and the longest array 20 items (tags), so
 * a valid input never has more than ~40 values. Far below what costs anything to walk, validate
 * or answer: without them, 30,000 unknown keys (311 KB, under the 1 MiB body limit) produced a
 * validation error that took the process down, and a 1.5 KB tRPC body whose superjson
 * `referentialEqualities` share one object between both fields of each of 22 nested levels is a
 * tree of 4 million values to anything that walks it (the idempotency fingerprint did: 5.7 s).
 */
export const INPUT_LIMITS = {
  /** Keys of one object, or items of one array. */
  maxEntries: 256,
  /** Values in the whole input, counted each time they are reached (a shared object counts at every place it appears). */
  maxValues: 10_000,
} as const;

/**
 * Why `value` exceeds the limits, or undefined. Iterative (the value may be deeply nested, or a
 * cycle made with superjson references) and stops at the first excess, so it never does more than
 * `maxValues` steps whatever the input.
 */
export function inputTooLarge(value: unknown, limits: { maxEntries: number; maxValues: number } = INPUT_LIMITS): string | undefined {
  const stack: unknown[] = [value];
  let values = 1;
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== "object") continue;
    const children = Object.values(v);
    if (children.length > limits.maxEntries) {
      return Array.isArray(v) ? `an array has more than ${limits.maxEntries} items` : `an object has more than ${limits.maxEntries} keys`;
    }
    values += children.length;
    if (values > limits.maxValues) return `more than ${limits.maxValues.toLocaleString("en-US")} values in all`;
    for (const child of children) stack.push(child);
  }
  return undefined;
}

/**
 * Bounds the work and the answer for any input. Refuses inputs over INPUT_LIMITS (400
 * INPUT_TOO_LARGE) before anything walks them (idempotency fingerprint, validation); and bounds the
 * validation error of the inputs it lets through (boundedValidationError), which the REST adapter
 * would otherwise send as zod made it. Registered on every procedure, after the rate limit so a
 * refused call still spends budget. Runs before `.input()` parsing, like every `.use()` above it.
 */
export const inputBounds = middleware(async ({ next, getRawInput }) => {
  let raw: unknown;
  try {
    raw = await getRawInput();
  } catch {
    // Unreadable input: answered as before, by the input parser (or ignored by procedures without one).
    return next();
  }
  const problem = inputTooLarge(raw);
  if (problem) {
    throw new DomainError("INPUT_TOO_LARGE", `Input too large: ${problem}`, {
      formErrors: [`Input too large: ${problem} (at most ${INPUT_LIMITS.maxEntries} per object or array, ${INPUT_LIMITS.maxValues.toLocaleString("en-US")} in all)`],
    });
  }
  const result = await next();
  if (!result.ok && result.error.code === "BAD_REQUEST" && result.error.cause instanceof ZodError) {
    throw boundedValidationError(result.error.cause);
  }
  return result;
});
