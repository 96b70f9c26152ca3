import { DomainError } from "../errors.js";
import { middleware } from "../trpc.js";
import { parseIfMatch, type Precondition } from "../versioning/precondition.js";

/**
 * Resolves what a versioned write expects: `If-Match` or the input's `expectedVersion` (they must
 * agree when both are sent). Neither → 428 on REST (RFC 6585), a field error on tRPC.
 * The compare-and-set write applies it, after checking the record exists (404 beats 412).
 */
export const resolvePrecondition = middleware(async ({ ctx, next, getRawInput }) => {
  const raw = await getRawInput();
  const fromInput =
    raw && typeof raw === "object" && "expectedVersion" in raw ? (raw as { expectedVersion: unknown }).expectedVersion : undefined;
  let precondition: Precondition | undefined;
  if (ctx.ifMatch !== undefined) {
    precondition = parseIfMatch(ctx.ifMatch);
    if (fromInput !== undefined && !(precondition.kind === "version" && precondition.version === fromInput)) {
      throw new DomainError("PRECONDITION_MISMATCH", "If-Match and expectedVersion disagree; send one of them", {
        fieldErrors: { expectedVersion: ["Does not match If-Match"] },
      });
    }
  } else if (typeof fromInput === "number") {
    precondition = { kind: "version", version: fromInput, source: "input" };
  }
  if (!precondition) {
    if (fromInput === undefined && ctx.surface === "rest") {
      throw new DomainError(
        "PRECONDITION_REQUIRED",
        'This write needs the version you last read: send If-Match: "<version>" (the ETag of GET /projects/{id}) or expectedVersion in the body',
      );
    }
    if (fromInput === undefined) {
      throw new DomainError("EXPECTED_VERSION_REQUIRED", "Send the version you last read as expectedVersion", {
        fieldErrors: { expectedVersion: ["Required"] },
      });
    }
    // A wrong type: input validation rejects it with its field path before the handler runs.
    return next({ ctx: { precondition: { kind: "never" } as Precondition } });
  }
  return next({ ctx: { precondition } });
});
