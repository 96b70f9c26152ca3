// The export case: every live project to CSV as a job, started by a keyed POST /trpc/project.export
// and worked by the real job engine (the app with JOBS_IN_PROCESS=true), timed from the request to
// the job's `succeeded`; next to a bare `COPY (the same query) TO STDOUT` through postgres.js, which
// is as fast as Postgres can hand out those rows as CSV. The export is topped up to `rows` projects
// first (one INSERT … SELECT generate_series), so it runs after every other case.
import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { renderTable } from "./load.js";
import type { ServerSpec } from "./servers/protocol.js";
import { type ServerProcess, startServer } from "./servers/spawn.js";

export const EXPORT_TARGET = 0.5; // the job at least half the rows/s of a bare COPY
const JOB_TIMEOUT_MS = 600_000;
const quiet = { onnotice: () => {}, connect_timeout: 10 } as const;

/**
 * What the job exports with its default input (`{}`: live projects, newest first), as COPY sees
 * it: the same join, filter, order and columns (tags joined by ";", the budget in cents; the job
 * formats and escapes cells in JS, which is part of what it is measured doing).
 */
const COPY_QUERY = `copy (
  select p.id, p.name, p.description, p.status, u.email as owner, array_to_string(p.tags, ';') as tags,
         p.budget_cents as budget, p.due_date as "dueDate", p.version
  from projects p join users u on u.id = p.owner_id
  where p.archived_at is null
  order by p.created_at desc, p.id desc
) to stdout with (format csv, header)`;

async function copyRun(sql: postgres.Sql): Promise<{ ms: number; bytes: number }> {
  const t0 = performance.now();
  const stream = await sql.unsafe(COPY_QUERY).readable();
  let bytes = 0;
  for await (const chunk of stream) bytes += (chunk as Buffer).length;
  return { ms: performance.now() - t0, bytes };
}

interface TrpcAnswer {
  result?: { data?: { json?: { id?: string } } };
}

async function jobRun(sql: postgres.Sql, app: ServerProcess, token: string) {
  const t0 = performance.now();
  const res = await fetch(`${app.url}/trpc/project.export`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "idempotency-key": randomUUID() },
    body: JSON.stringify({ json: {} }),
  });
  const answer = (await res.json()) as TrpcAnswer;
  const id = answer.result?.data?.json?.id;
  if (!res.ok || !id) throw new Error(`project.export answered ${res.status}: ${JSON.stringify(answer).slice(0, 500)}`);
  for (;;) {
    const [row] = await sql<{ state: string; result: { rows: number; artifacts: Array<{ sizeBytes: number }> } | null; running_ms: number | null }[]>`
      select state, result, extract(epoch from (finished_at - started_at)) * 1000 as running_ms from jobs where id = ${id}`;
    if (row && ["succeeded", "failed", "cancelled"].includes(row.state)) {
      const ms = performance.now() - t0;
      if (row.state !== "succeeded" || !row.result) throw new Error(`export job ${id} ended ${row.state}`);
      // Done with it: its file would otherwise stay until the job expires.
      await sql`delete from jobs where id = ${id}`;
      return { ms, runningMs: Number(row.running_ms), rows: row.result.rows, bytes: row.result.artifacts[0]?.sizeBytes ?? 0 };
    }
    if (performance.now() - t0 > JOB_TIMEOUT_MS) throw new Error(`export job ${id} did not finish within ${JOB_TIMEOUT_MS / 1000} s`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export interface ExportRun {
  round: number;
  copy: { ms: number; rowsPerSecond: number; bytes: number };
  job: { ms: number; rowsPerSecond: number; runningMs: number; rows: number; bytes: number };
  ratio: number;
}

/** Adds projects (owned by `ownerId`) until there are `rows` live ones. */
async function topUp(sql: postgres.Sql, rows: number, ownerId: string): Promise<number> {
  const [{ n } = { n: 0 }] = await sql<{ n: number }[]>`select count(*)::int as n from projects where archived_at is null`;
  if (n < rows) {
    await sql`
      insert into projects (name, description, status, owner_id, tags, budget_cents, due_date, created_at)
      select 'Export project ' || i, 'Bench export project ' || i || ': a sentence of description, as people write them.',
             (array['planning','active','on_hold','completed','cancelled']::project_status[])[1 + i % 5], ${ownerId}::uuid,
             array['export', 'tag' || (i % 17)], i * 137, date '2027-01-01' + (i % 700), now() - i * interval '1 second'
      from generate_series(1, ${rows - n}::int) as i`;
    await sql`analyze projects`;
  }
  const [{ n: live } = { n: 0 }] = await sql<{ n: number }[]>`select count(*)::int as n from projects where archived_at is null`;
  return live;
}

/**
 * A warm-up pair, then `rounds` measured pairs, the order swapping every round. Checked: the job
 * exported every live project. A second app, working jobs, is started here.
 */
export async function measureExport(opts: { rounds: number; rows: number }, databaseUrl: string, spec: ServerSpec, token: string, ownerId: string, servers: ServerProcess[]) {
  const sql = postgres(databaseUrl, { ...quiet, max: 1 });
  const problems: string[] = [];
  try {
    const live = await topUp(sql, opts.rows, ownerId);
    const worker = await startServer("app", { ...spec, jobsInProcess: true });
    servers.push(worker);
    console.log(`Measuring the CSV export of ${live} projects: a warm-up pair, then ${opts.rounds} round(s) of job vs COPY...`);
    await copyRun(sql);
    await jobRun(sql, worker, token);
    const runs: ExportRun[] = [];
    for (let round = 1; round <= opts.rounds; round++) {
      let copy: ExportRun["copy"] | undefined;
      let job: ExportRun["job"] | undefined;
      for (const which of round % 2 === 1 ? (["copy", "job"] as const) : (["job", "copy"] as const)) {
        if (which === "copy") {
          const c = await copyRun(sql);
          copy = { ...c, rowsPerSecond: (live / c.ms) * 1000 };
        } else {
          const j = await jobRun(sql, worker, token);
          job = { ...j, rowsPerSecond: (j.rows / j.ms) * 1000 };
          if (j.rows !== live) problems.push(`round ${round}: the job exported ${j.rows} of ${live} projects`);
        }
      }
      if (!copy || !job) throw new Error("unreachable: a round without both runs");
      const run = { round, copy, job, ratio: job.rowsPerSecond / copy.rowsPerSecond };
      runs.push(run);
      console.log(
        `  round ${round} COPY ${copy.rowsPerSecond.toFixed(0)} rows/s (${(copy.ms / 1000).toFixed(2)} s)  ` +
          `job ${job.rowsPerSecond.toFixed(0)} rows/s (${(job.ms / 1000).toFixed(2)} s, running ${(job.runningMs / 1000).toFixed(2)} s)  ${run.ratio.toFixed(2)}x`,
      );
    }
    await worker.stop();
    servers.splice(servers.indexOf(worker), 1);

    const mean = (f: (r: ExportRun) => number) => runs.reduce((a, r) => a + f(r), 0) / (runs.length || 1);
    const summary = {
      rows: live,
      copyRowsPerSecond: mean((r) => r.copy.rowsPerSecond),
      jobRowsPerSecond: mean((r) => r.job.rowsPerSecond),
      jobRunningRowsPerSecond: mean((r) => (r.job.rows / r.job.runningMs) * 1000),
      ratio: mean((r) => r.job.rowsPerSecond) / mean((r) => r.copy.rowsPerSecond),
    };
    console.log("");
    console.log(
      renderTable(
        ["case", "rows/s", "seconds", "MB", "vs COPY"],
        [
          ["bare COPY (same query) TO STDOUT, postgres.js", summary.copyRowsPerSecond.toFixed(0), (mean((r) => r.copy.ms) / 1000).toFixed(2), (mean((r) => r.copy.bytes) / 2 ** 20).toFixed(1), "1.00x"],
          ["project.export job (request -> succeeded)", summary.jobRowsPerSecond.toFixed(0), (mean((r) => r.job.ms) / 1000).toFixed(2), (mean((r) => r.job.bytes) / 2 ** 20).toFixed(1), `${summary.ratio.toFixed(2)}x`],
          ["  of which running (started -> finished)", summary.jobRunningRowsPerSecond.toFixed(0), (mean((r) => r.job.runningMs) / 1000).toFixed(2), "", ""],
        ],
      ),
    );
    console.log("");
    console.log(`Export job: ${summary.ratio.toFixed(2)}x the rows/s of a bare COPY (target >= ${EXPORT_TARGET}x)${summary.ratio >= EXPORT_TARGET ? "" : " — below target"}.`);
    for (const p of problems) console.warn(`WARNING: ${p}`);
    console.log("");
    return {
      report: {
        target: `>= ${EXPORT_TARGET}x the rows/s of a bare COPY`,
        copy: "postgres.js, one connection: COPY (live projects join users, order by created_at desc, id desc; the job's columns) TO STDOUT WITH (FORMAT csv, HEADER), read to the end",
        job: "keyed POST /trpc/project.export {} -> the jobs row is succeeded; worked by the app's in-process job engine (pg-boss), timed by the runner polling every 10 ms; the file is stored in job_artifact_chunks",
        summary,
        runs,
        checks: problems.length ? { ok: false, problems } : { ok: true },
      },
      failed: problems.length > 0,
    };
  } finally {
    await sql.end({ timeout: 5 });
  }
}
