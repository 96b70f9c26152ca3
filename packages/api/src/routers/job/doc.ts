import { keyedMutationDoc } from "../../mutation-doc.js";
import type { Context } from "../../context.js";
import type { Principal } from "../../auth/session.js";
import type { JobReader } from "../../domain/job/view.js";
import { actorOf } from "../../procedure-context.js";

/** A read's domain context: the request's db and who asks. */
export const readerOf = (ctx: Context & { principal: Principal }): JobReader => ({ db: ctx.db, actor: actorOf(ctx.principal) });

const readErrors = { 400: "Invalid input or cursor", 401: "Not signed in", 404: "JOB_NOT_FOUND: no such job, or not yours" };

/** A query on one job, at `path` (under /jobs/{id}). */
export const jobReadDoc = (path: `/${string}`, summary: string) => ({
  openapi: { method: "GET" as const, path, tags: ["jobs"], summary, errorResponses: readErrors },
});

/** A keyed command on one job (cancel, retry). */
export const jobCommandDoc = (conflict: string) => {
  const doc = keyedMutationDoc(false);
  return {
    ...doc,
    errorResponses: {
      ...doc.errorResponses,
      403: "Your role may not do this (a viewer may not retry), or a read-only API token",
      404: "JOB_NOT_FOUND: no such job, or not yours",
      409: `${conflict} (data.jobState holds the job's state), or IDEMPOTENCY_IN_PROGRESS (see Retry-After)`,
    },
  };
};
