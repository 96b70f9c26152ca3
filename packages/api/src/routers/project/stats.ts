import { projects } from "@trellis/db";
import { projectStatuses } from "@trellis/db/constants";
import { and, count, isNotNull, isNull, lt, notInArray, sql } from "drizzle-orm";
import { z } from "zod";
import { authedProcedure } from "../../procedures.js";
import { projectStatsSchema } from "./schemas.js";

export const stats = authedProcedure
  .meta({ openapi: { method: "GET", path: "/projects/stats", tags: ["projects"], summary: "Counts and budgets by status" } })
  .input(z.void())
  .output(projectStatsSchema)
  .query(async ({ ctx }) => {
    const live = isNull(projects.archivedAt);
    const [grouped, [overdue], [archived]] = await Promise.all([
      ctx.db
        .select({
          status: projects.status,
          count: count(),
          // sum(bigint) is numeric: a string on postgres.js, so map it explicitly. Each budget may be
          // up to MAX_SAFE_INTEGER, so a sum can exceed it: saturate rather than fail (it was a 500).
          budgetCents: sql<number>`least(coalesce(sum(${projects.budgetCents}), 0), ${Number.MAX_SAFE_INTEGER})`.mapWith(Number),
        })
        .from(projects)
        .where(live)
        .groupBy(projects.status),
      ctx.db
        .select({ n: count() })
        .from(projects)
        .where(
          and(live, lt(projects.dueDate, sql`current_date`), notInArray(projects.status, ["completed", "cancelled"])),
        ),
      ctx.db.select({ n: count() }).from(projects).where(isNotNull(projects.archivedAt)),
    ]);
    const byStatus = projectStatuses.map((status) => {
      const row = grouped.find((g) => g.status === status);
      return { status, count: Number(row?.count ?? 0), budgetCents: row?.budgetCents ?? 0 };
    });
    return {
      total: byStatus.reduce((n, s) => n + s.count, 0),
      archived: Number(archived?.n ?? 0),
      overdue: Number(overdue?.n ?? 0),
      byStatus,
    };
  });
