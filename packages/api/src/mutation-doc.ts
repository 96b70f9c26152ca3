import { z } from "zod";

const key = z
  .string()
  .min(1)
  .max(255)
  .meta({ description: "1–255 printable ASCII characters, one per intent (e.g. a UUID). See docs/idempotency.md." });

const ifMatch = z
  .string()
  .meta({ description: 'The ETag you last read, e.g. "3" (or * for any version). Alternative to expectedVersion. See docs/concurrency.md.' });

/**
 * OpenAPI declarations for mutations: the Idempotency-Key request header, the replay marker, and
 * for versioned writes If-Match with its 412/428 answers.
 */
export const keyedMutationDoc = (required: boolean, opts: { versioned?: boolean } = {}) => ({
  requestHeaders: z.object({
    "Idempotency-Key": required ? key : key.optional(),
    ...(opts.versioned && { "If-Match": ifMatch.optional() }),
  }),
  responseHeaders: z.object({
    "Idempotent-Replayed": z.literal("true").optional().meta({ description: "Present when a stored outcome was replayed" }),
    ETag: z.string().optional().meta({ description: "Strong validator of the written version" }),
  }),
  errorResponses: <Record<number, string>>{
    400: "Invalid input (field paths in data.fieldErrors) or a malformed/missing Idempotency-Key",
    401: "Not signed in",
    403: "Role may not write",
    404: "No such project (wins over any precondition)",
    409: "VERSION_CONFLICT (data.current holds the project as it is) or IDEMPOTENCY_IN_PROGRESS (see Retry-After)",
    ...(opts.versioned && {
      412: "VERSION_MISMATCH: If-Match does not match the current version (data.currentEtag, data.current)",
      428: "PRECONDITION_REQUIRED: send If-Match or expectedVersion",
    }),
    422: "IDEMPOTENCY_KEY_REUSED: the key was used with different input",
  },
});
