import { uploadSummarySchema } from "@trellis/api/schemas";
import type { z } from "zod";

/** The upload as the page uses it (its `createdAt` arrives as JSON text and is not needed here). */
export const uploadAnswerSchema = uploadSummarySchema.omit({ createdAt: true });
export type UploadAnswer = z.infer<typeof uploadAnswerSchema>;

/** Thrown for a refused upload: the server's message (too large, not a CSV, empty file…). */
export class UploadError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
  ) {
    super(message);
    this.name = "UploadError";
  }
}

/**
 * Sends the file as it is (`text/csv`, its name in `?filename=`) to POST /api/v1/imports, with the
 * session cookie (same origin) and the dashboard's CSRF header: REST takes the raw body up to
 * 20 MB, where the tRPC import.upload would take it base64 within 1 MB. Not an intent: an upload
 * writes no project, so sending it again only stores another copy.
 */
export async function uploadCsv(file: File, fetchImpl: typeof fetch = fetch): Promise<UploadAnswer> {
  let res: Response;
  try {
    res = await fetchImpl(`/api/v1/imports?${new URLSearchParams({ filename: file.name })}`, {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "text/csv", "x-trellis-csrf": "1" },
      body: file,
    });
  } catch {
    throw new UploadError("Could not reach Trellis. Check your connection and try again.", undefined);
  }
  const body: unknown = await res.json().catch(() => undefined);
  if (!res.ok) {
    const message = typeof body === "object" && body !== null && "message" in body && typeof body.message === "string" ? body.message : `Upload failed (${res.status})`;
    throw new UploadError(message, res.status);
  }
  const parsed = uploadAnswerSchema.safeParse(body);
  if (!parsed.success) throw new UploadError("Trellis answered the upload in a way this page does not understand.", res.status);
  return parsed.data;
}
