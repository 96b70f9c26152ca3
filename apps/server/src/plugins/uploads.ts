import { createCaller, errorData } from "@trellis/api";
import { IMPORT_MAX_BYTES } from "@trellis/api/schemas";
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import type { FastifyInstance } from "fastify";
import { type ContextDeps, contextFactory } from "../context.js";
import { REST_PREFIX } from "./rest.js";

export const IMPORTS_PATH = `${REST_PREFIX}/imports`;

/** What spreadsheets and browsers send a .csv as (Windows says Excel). */
const CSV_TYPES = ["text/csv", "application/csv", "text/plain", "application/vnd.ms-excel"];

/**
 * POST /api/v1/imports: the raw CSV as the body (`Content-Type: text/csv`, up to 20 MB), its name in
 * `?filename=`. Answers 201 with what import.upload found (encoding, delimiter, headers, suggested
 * mapping, rows, unknown columns); a file that cannot be imported at all is a 400 saying why.
 * Authenticated like every REST call (bearer or session cookie with CSRF check); editors and
 * admins only — decided by the procedure.
 */
export async function registerUploads(app: FastifyInstance, deps: ContextDeps) {
  const createContext = contextFactory(deps, "rest");
  await app.register(async (scope) => {
    // Only in this scope: the body as bytes, for these types, up to the import limit (413 above it).
    scope.addContentTypeParser(CSV_TYPES, { parseAs: "buffer", bodyLimit: IMPORT_MAX_BYTES }, (_req, body, done) => done(null, body));
    scope.post(IMPORTS_PATH, { bodyLimit: IMPORT_MAX_BYTES }, async (req, reply) => {
      try {
        const ctx = await createContext({ req, res: reply });
        const body = req.body;
        if (!Buffer.isBuffer(body)) {
          return await reply.code(415).send({
            message: `Send the file as the body with Content-Type: text/csv`,
            code: "UNSUPPORTED_MEDIA_TYPE",
            data: { httpStatus: 415, requestId: req.id },
          });
        }
        const { filename } = req.query as { filename?: unknown };
        const summary = await createCaller(ctx).import.upload({
          filename: typeof filename === "string" && filename.trim() ? filename : "upload.csv",
          contentType: (req.headers["content-type"] ?? "text/csv").split(";")[0] ?? "text/csv",
          base64: body.toString("base64"),
        });
        return await reply.code(201).header("location", `${IMPORTS_PATH}/${summary.id}`).send(summary);
      } catch (error) {
        if (!(error instanceof TRPCError)) throw error;
        const status = getHTTPStatusCodeFromError(error);
        if (status >= 500) req.log.error({ err: error.cause ?? error }, "upload failed");
        return reply.code(status).send({
          message: status >= 500 ? "Internal server error" : error.message,
          code: error.code,
          data: { httpStatus: status, ...errorData(error, req.id) },
        });
      }
    });
  });
}
