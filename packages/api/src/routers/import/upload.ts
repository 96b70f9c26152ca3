import { z } from "zod";
import { storeUpload, uploadSummary } from "../../domain/import/upload.js";
import { requireRole } from "../../middleware/auth.js";
import { actorOf, domainContextOf } from "../../procedure-context.js";
import { authedProcedure, publicProcedure } from "../../procedures.js";
import { notifyChanges } from "../../middleware/notify.js";
import { IMPORT_MAX_BYTES, uploadByIdInput, uploadSummarySchema } from "./schemas.js";

// Stored in text columns: no NUL, nor other control characters, in a name.
const printable = [(s: string) => !Array.from(s).some((c) => c < " " || c === "\u007f"), "Must not contain control characters"] as const;

/**
 * Stores a CSV. Called by the REST host's POST /imports (apps/server plugins/uploads.ts), which
 * takes the raw `text/csv` body up to 20 MB and hands it over base64-encoded: a string is one value
 * to the input bounds, where a byte array would be millions. Not keyed: an upload only becomes
 * something when a dry run or an apply names it, so a retried upload is a harmless second copy.
 * Over tRPC it works too, within the 1 MB body limit. Editors and admins only.
 */
export const upload = publicProcedure
  .use(requireRole("editor", "admin"))
  .use(notifyChanges)
  .input(
    z.strictObject({
      filename: z.string().trim().min(1).max(255).refine(...printable).default("upload.csv"),
      contentType: z.string().max(255).refine(...printable).default("text/csv"),
      base64: z.string().max(Math.ceil(IMPORT_MAX_BYTES / 3) * 4 + 4, "The file is larger than 20 MB"),
    }),
  )
  .output(uploadSummarySchema)
  .mutation(({ ctx, input }) =>
    storeUpload(domainContextOf(ctx), { filename: input.filename, contentType: input.contentType, bytes: Buffer.from(input.base64, "base64") }),
  );

export const byId = authedProcedure
  .meta({
    openapi: {
      method: "GET",
      path: "/imports/{id}",
      tags: ["imports"],
      summary: "An upload as POST /imports described it: headers, suggested mapping, rows",
      errorResponses: { 400: "Invalid id, or no such upload (or not yours)", 401: "Not signed in" },
    },
  })
  .input(uploadByIdInput)
  .output(uploadSummarySchema)
  .query(({ ctx, input }) => uploadSummary({ db: ctx.db, actor: actorOf(ctx.principal) }, input.id));
