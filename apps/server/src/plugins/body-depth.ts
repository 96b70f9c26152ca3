import type { FastifyInstance } from "fastify";

/** Far deeper than any Trellis input (three levels), far shallower than a stack overflow. */
export const MAX_BODY_DEPTH = 64;

/** Nesting depth of a parsed JSON value, without recursion (the value may be very deep). */
export function depthExceeds(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [v, depth] = top;
    if (v === null || typeof v !== "object") continue;
    if (depth >= max) return true;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * Refuses JSON bodies nested deeper than MAX_BODY_DEPTH with 400 (reason BODY_TOO_DEEP) before
 * any handler sees them. The REST adapter serializes the parsed body recursively, so a deep
 * enough body used to overflow the stack: a 500 for the client's mistake. (tRPC bodies arrive
 * as text and are parsed by tRPC, which copes.)
 */
export function registerBodyDepthLimit(app: FastifyInstance) {
  app.addHook("preValidation", async (req) => {
    if (req.body !== null && typeof req.body === "object" && depthExceeds(req.body, MAX_BODY_DEPTH)) {
      throw Object.assign(new Error(`JSON body is nested more than ${MAX_BODY_DEPTH} levels deep`), {
        statusCode: 400,
        code: "BODY_TOO_DEEP",
      });
    }
  });
}
