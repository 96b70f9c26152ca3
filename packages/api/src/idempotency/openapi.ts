import { z } from "zod";

const key = z
  .string()
  .min(1)
  .max(255)
  .meta({ description: "1–255 printable ASCII characters, one per intent (e.g. a UUID). See docs/idempotency.md." });

/** OpenAPI declarations for keyed mutations: the request header and the replay marker. */
export const keyedMutationDoc = (required: boolean) => ({
  requestHeaders: z.object({ "Idempotency-Key": required ? key : key.optional() }),
  responseHeaders: z.object({
    "Idempotent-Replayed": z.literal("true").optional().meta({ description: "Present when a stored outcome was replayed" }),
  }),
  errorResponses: {
    400: "Invalid input (field paths in data.fieldErrors) or a malformed/missing Idempotency-Key",
    401: "Not signed in",
    403: "Role may not write",
    409: "VERSION_CONFLICT (data.current holds the project as it is) or IDEMPOTENCY_IN_PROGRESS (see Retry-After)",
    422: "IDEMPOTENCY_KEY_REUSED: the key was used with different input",
  },
});
