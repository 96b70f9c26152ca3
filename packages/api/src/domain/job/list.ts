import { jobs } from "@trellis/db";
import { and, desc, eq, inArray, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { DomainError } from "../../errors.js";
import { cursorCodec, cursorTimestamp } from "../../pagination/cursor.js";
import type { JobView, listJobsInput } from "../../routers/job/schemas.js";
import { type JobReader, seesAllJobs, selectJobRows, toJobView } from "./view.js";

/** On the wire: [createdAt, id] of the page's last job; the next page is older. */
const cursor = cursorCodec(z.tuple([cursorTimestamp, z.guid()]));

type ListJobs = z.output<typeof listJobsInput>;

/**
 * Jobs newest first, keyset on (created_at, id) desc: the jobs_created_by_idx / jobs_created_idx
 * indexes match the order, so a page costs the same however many jobs there are.
 */
export async function listJobs(ctx: JobReader, input: ListJobs): Promise<{ items: JobView[]; nextCursor: string | null }> {
  const where: Array<SQL | undefined> = [];
  if (input.scope === "all") {
    if (!seesAllJobs(ctx.actor)) throw new DomainError("INSUFFICIENT_ROLE", "Only admins may list everyone's jobs; list yours with scope \"mine\"");
  } else {
    if (ctx.actor.kind !== "user") throw new Error("scope \"mine\" needs a user actor");
    where.push(eq(jobs.createdBy, ctx.actor.userId));
  }
  if (input.kind !== undefined) where.push(eq(jobs.kind, input.kind));
  if (input.states !== undefined) where.push(inArray(jobs.state, input.states));
  if (input.cursor !== undefined) {
    const [createdAt, id] = cursor.decode(input.cursor);
    where.push(sql`(${jobs.createdAt}, ${jobs.id}) < (${createdAt}::timestamptz, ${id}::uuid)`);
  }
  const rows = await selectJobRows(ctx.db)
    .where(and(...where))
    .orderBy(desc(jobs.createdAt), desc(jobs.id))
    .limit(input.limit + 1);
  const items = rows.slice(0, input.limit).map((r) => toJobView(r.job, r.createdByName));
  const last = rows.length > input.limit ? items.at(-1) : undefined;
  return { items, nextCursor: last ? cursor.encode([last.createdAt.toISOString(), last.id]) : null };
}
