import { authActions, projectActions } from "@trellis/db/constants";
import { z } from "zod";

/** Every action in the audit log: authentication/administration events and project changes. */
export const auditActions = [...authActions, ...projectActions] as const;
export type AuditAction = (typeof auditActions)[number];
export const auditSources = ["auth", "project"] as const;

const earliest = new Date("1970-01-01T00:00:00.000Z");
const latest = new Date("9999-12-31T23:59:59.999Z");
/** A Date (tRPC) or an ISO 8601 date-time string (REST, the CSV link). */
const auditTime = z
  .union([z.date(), z.iso.datetime({ offset: true, message: "Use an ISO date-time such as 2026-01-31T00:00:00Z" })])
  .transform((v) => new Date(v))
  .pipe(z.date().min(earliest, "Date out of range").max(latest, "Date out of range"));

/** Filters shared by audit.list and the CSV export. `from` is inclusive, `to` exclusive. */
export const auditFilterInput = z.strictObject({
  actorId: z.uuid({ message: "Must be a user id (UUID)" }).optional(),
  action: z.enum(auditActions).optional(),
  from: auditTime.optional(),
  to: auditTime.optional(),
});
export type AuditFilter = z.infer<typeof auditFilterInput>;

export const auditListInput = auditFilterInput.extend({
  limit: z.number().int().min(1).max(500, "At most 500 per page").default(50),
  cursor: z.string().max(512).optional(),
  direction: z.enum(["forward", "backward"]).optional(),
});
export type AuditListInput = z.input<typeof auditListInput>;

export const auditEntrySchema = z.object({
  /** Unique across both sources, e.g. `auth:12` or `project:345`. */
  id: z.string(),
  source: z.enum(auditSources),
  action: z.enum(auditActions),
  actorId: z.uuid().nullable(),
  actorName: z.string().nullable(),
  actorEmail: z.string().nullable(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  /** A readable name for the target: the user's email, the token's or the project's name. */
  targetLabel: z.string().nullable(),
  ip: z.string().nullable(),
  requestId: z.string(),
  details: z.record(z.string(), z.unknown()),
  createdAt: z.date(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const auditListOutput = z.object({ items: z.array(auditEntrySchema), nextCursor: z.string().nullable() });
