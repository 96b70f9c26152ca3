import { sql } from "drizzle-orm";
import { customType, index, integer, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { jobs } from "./jobs.js";
import { projects } from "./projects.js";
import { users } from "./users.js";

/** Raw bytes (Postgres bytea), as a Node Buffer. */
export const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});

/**
 * An uploaded CSV file, kept in Postgres so every instance and worker can read it: a dry run and
 * the apply that follows read the same bytes.
 */
export const uploads = pgTable(
  "uploads",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    createdBy: uuid("created_by")
      .notNull()
      .references(() => users.id),
    filename: text("filename").notNull(),
    contentType: text("content_type").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    /** SHA-256 of the bytes (hex): part of each row's key when a file has no external_id column. */
    sha256: text("sha256").notNull(),
    bytes: bytea("bytes").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [index("uploads_created_by_idx").on(t.createdBy, t.createdAt)],
);

/**
 * Which project an import row key (its external_id, or a hash of its content under its mapping)
 * became, and the project's version right after that import wrote it: a later import of the same
 * key updates that project, and finds a conflict if the version moved since (edited in Trellis).
 */
export const importKeys = pgTable("import_keys", {
  key: text("key").primaryKey(),
  projectId: uuid("project_id")
    .notNull()
    .references(() => projects.id),
  /** The project's version as the last import left it. */
  version: integer("version").notNull(),
  /** The job that last wrote it. */
  jobId: uuid("job_id"),
  updatedAt: timestamp("updated_at", { withTimezone: true, precision: 3 }).notNull().default(sql`now()`),
});

/**
 * A file a job produced (an export, a downloadable report), in chunks so neither writing nor
 * serving it holds the whole file in memory. Deleted with its job.
 */
export const jobArtifactChunks = pgTable(
  "job_artifact_chunks",
  {
    jobId: uuid("job_id")
      .notNull()
      .references(() => jobs.id, { onDelete: "cascade" }),
    /** The artifact's name within the job ("export.csv", "report.csv"). */
    name: text("name").notNull(),
    seq: integer("seq").notNull(),
    bytes: bytea("bytes").notNull(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.name, t.seq] })],
);

/** One artifact's description, kept on the job's result: `{ artifacts: [{ name, contentType, sizeBytes, rows? }] }`. */
export interface JobArtifact {
  name: string;
  contentType: string;
  sizeBytes: number;
  rows?: number;
}

export type UploadRow = typeof uploads.$inferSelect;
export type ImportKeyRow = typeof importKeys.$inferSelect;
