// The bulk cases: a bulk status change of every seeded project as a job, started by a keyed
// POST /trpc/project.bulk and worked by the real job engine (the app with JOBS_IN_PROCESS=true),
// timed from the request to the job's `succeeded`; next to a bare postgres.js script doing the same
// versioned updates in the same batches. Then the latency of a keyed request that starts a job.
import { randomUUID } from "node:crypto";
import { projectStatuses } from "@trellis/db";
import postgres from "postgres";
import { type LoadResult, measure, renderTable, summarize } from "./load.js";
import type { ServerSpec } from "./servers/protocol.js";
import { type ServerProcess, startServer } from "./servers/spawn.js";

export const BULK_TARGET = 0.5; // the job at least half as fast as the bare script
/** The job's batch size (packages/api/src/jobs/project-bulk.ts BULK_BATCH_SIZE): the baseline uses the same. */
const BATCH = 200;
const JOB_TIMEOUT_MS = 600_000;

export interface BulkRun {
  round: number;
  status: string;
  baseline: { ms: number; projectsPerSecond: number; updated: number };
  job: { ms: number; projectsPerSecond: number; runningMs: number; applied: number; events: number };
  ratio: number;
}

const quiet = { onnotice: () => {}, connect_timeout: 10 } as const;

/**
 * The bare script: read the projects' ids and versions, then per project one compare-and-set
 * UPDATE and one event INSERT, BATCH projects per transaction, one connection, no framework.
 */
async function baselineRun(sql: postgres.Sql, status: string, actorId: string): Promise<{ ms: number; updated: number }> {
  const t0 = performance.now();
  const rows = await sql<{ id: string; version: number; status: string }[]>`select id, version, status from projects order by created_at desc, id desc`;
  const requestId = `bench-baseline-${randomUUID()}`;
  let updated = 0;
  for (let i = 0; i < rows.length; i += BATCH) {
    await sql.begin(async (tx) => {
      for (const r of rows.slice(i, i + BATCH)) {
        const [u] = await tx<{ version: number }[]>`
          update projects set status = ${status}, version = version + 1, updated_at = now()
          where id = ${r.id} and version = ${r.version} returning version`;
        if (!u) continue;
        updated++;
        await tx`
          insert into project_events (project_id, actor_id, action, changes, version, request_id)
          values (${r.id}, ${actorId}, 'updated', ${tx.json({ status: { before: r.status, after: status } })}, ${u.version}, ${requestId})`;
      }
    });
  }
  return { ms: performance.now() - t0, updated };
}

interface TrpcAnswer {
  result?: { data?: { json?: { id?: string } } };
}

const bulkPath = "/trpc/project.bulk";
const bulkBody = (status: string) => JSON.stringify({ json: { change: { action: "setStatus", status }, selection: { filter: { includeArchived: true } } } });

/** The job: a keyed request starts it; done when its row says succeeded (polled every 10 ms). */
async function jobRun(sql: postgres.Sql, app: ServerProcess, token: string, status: string) {
  const t0 = performance.now();
  const res = await fetch(`${app.url}${bulkPath}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "idempotency-key": randomUUID() },
    body: bulkBody(status),
  });
  const answer = (await res.json()) as TrpcAnswer;
  const id = answer.result?.data?.json?.id;
  if (!res.ok || !id) throw new Error(`project.bulk answered ${res.status}: ${JSON.stringify(answer).slice(0, 500)}`);
  for (;;) {
    const [row] = await sql<{ state: string; result: { applied: number } | null; running_ms: number | null }[]>`
      select state, result, extract(epoch from (finished_at - started_at)) * 1000 as running_ms from jobs where id = ${id}`;
    if (row && ["succeeded", "failed", "cancelled"].includes(row.state)) {
      const ms = performance.now() - t0;
      if (row.state !== "succeeded") throw new Error(`bulk job ${id} ended ${row.state}`);
      const [events] = await sql<{ n: number }[]>`select count(*)::int as n from project_events where job_id = ${id}`;
      return { ms, runningMs: Number(row.running_ms), applied: row.result?.applied ?? 0, events: events?.n ?? 0 };
    }
    if (performance.now() - t0 > JOB_TIMEOUT_MS) throw new Error(`bulk job ${id} did not finish within ${JOB_TIMEOUT_MS / 1000} s`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export interface BulkOptions {
  rounds: number;
  warmupSeconds: number;
  /** Measured seconds of each enqueue-latency case per round. */
  latencySeconds: number;
}

/**
 * Runs the bulk part: a warm-up run of each, then `rounds` measured pairs (the order swaps every
 * round), every run setting a status no project has yet, so every project is written each time.
 * `app` is the bench's app (works no jobs); a second app, working jobs, is started here.
 */
export async function measureBulk(
  opts: BulkOptions,
  databaseUrl: string,
  spec: ServerSpec,
  app: ServerProcess,
  token: string,
  editorId: string,
  servers: ServerProcess[],
) {
  const sql = postgres(databaseUrl, { ...quiet, max: 1 });
  const problems: string[] = [];
  try {
    const [{ n: projects } = { n: 0 }] = await sql<{ n: number }[]>`select count(*)::int as n from projects`;
    const worker = await startServer("app", { ...spec, jobsInProcess: true });
    servers.push(worker);
    console.log(`Measuring the bulk status change of all ${projects} projects: a warm-up pair, then ${opts.rounds} round(s) of job vs baseline...`);
    let turn = 0;
    const nextStatus = () => projectStatuses[turn++ % projectStatuses.length] as string;
    // Warm-up: also moves every project off its seeded status, so each later run writes them all.
    await baselineRun(sql, nextStatus(), editorId);
    await jobRun(sql, worker, token, nextStatus());

    const runs: BulkRun[] = [];
    for (let round = 1; round <= opts.rounds; round++) {
      let baseline: BulkRun["baseline"] | undefined;
      let job: BulkRun["job"] | undefined;
      let status = "";
      for (const which of round % 2 === 1 ? (["baseline", "job"] as const) : (["job", "baseline"] as const)) {
        status = nextStatus();
        if (which === "baseline") {
          const b = await baselineRun(sql, status, editorId);
          baseline = { ...b, projectsPerSecond: (b.updated / b.ms) * 1000 };
          if (b.updated !== projects) problems.push(`round ${round}: the baseline updated ${b.updated} of ${projects} projects`);
        } else {
          const j = await jobRun(sql, worker, token, status);
          job = { ...j, projectsPerSecond: (j.applied / j.ms) * 1000 };
          if (j.applied !== projects || j.events !== projects) {
            problems.push(`round ${round}: the job applied ${j.applied} and wrote ${j.events} events for ${projects} projects`);
          }
        }
      }
      if (!baseline || !job) throw new Error("unreachable: a round without both runs");
      const run = { round, status, baseline, job, ratio: job.projectsPerSecond / baseline.projectsPerSecond };
      runs.push(run);
      console.log(
        `  round ${round} baseline ${baseline.projectsPerSecond.toFixed(0)} projects/s (${(baseline.ms / 1000).toFixed(2)} s)  ` +
          `job ${job.projectsPerSecond.toFixed(0)} projects/s (${(job.ms / 1000).toFixed(2)} s, running ${(job.runningMs / 1000).toFixed(2)} s)  ${run.ratio.toFixed(2)}x`,
      );
    }
    await worker.stop();
    servers.splice(servers.indexOf(worker), 1);

    const latency = await measureEnqueue(opts, sql, app, token);
    const mean = (f: (r: BulkRun) => number) => runs.reduce((a, r) => a + f(r), 0) / (runs.length || 1);
    const summary = {
      projects,
      batchSize: BATCH,
      baselineProjectsPerSecond: mean((r) => r.baseline.projectsPerSecond),
      jobProjectsPerSecond: mean((r) => r.job.projectsPerSecond),
      ratio: mean((r) => r.job.projectsPerSecond) / mean((r) => r.baseline.projectsPerSecond),
    };
    console.log("");
    console.log(
      renderTable(
        ["case", "projects/s", "seconds", "vs baseline"],
        [
          ["baseline: postgres.js, same versioned updates", summary.baselineProjectsPerSecond.toFixed(0), (mean((r) => r.baseline.ms) / 1000).toFixed(2), "1.00x"],
          ["project.bulk job (request -> succeeded)", summary.jobProjectsPerSecond.toFixed(0), (mean((r) => r.job.ms) / 1000).toFixed(2), `${summary.ratio.toFixed(2)}x`],
        ],
      ),
    );
    console.log("");
    console.log(renderTable(["1 connection", "p50 ms", "p99 ms", "req/s"], latency.rows.map((r) => [r.name, r.p50.toFixed(2), r.p99.toFixed(2), r.rps.toFixed(0)])));
    console.log("");
    console.log(
      `Bulk job: ${summary.ratio.toFixed(2)}x the bare script's projects/s (target >= ${BULK_TARGET}x)${summary.ratio >= BULK_TARGET ? "" : " — below target"}. ` +
        `A keyed request that starts a job: p50 ${latency.bulk.p50.toFixed(2)} ms vs ${latency.create.p50.toFixed(2)} ms for a keyed create (${(latency.bulk.p50 / latency.create.p50).toFixed(2)}x).`,
    );
    for (const p of [...problems, ...latency.problems]) console.warn(`WARNING: ${p}`);
    console.log("");
    const allProblems = [...problems, ...latency.problems];
    return {
      report: {
        target: `>= ${BULK_TARGET}x the baseline's projects/s`,
        baseline: "bare postgres.js, one connection: per project UPDATE ... WHERE id = $1 AND version = $2 RETURNING version + one project_events INSERT, 200 per transaction",
        job: "keyed POST /trpc/project.bulk (setStatus, filter: all projects) -> the jobs row is succeeded; worked by the app's in-process job engine (pg-boss), timed by the runner polling every 10 ms",
        summary,
        runs,
        enqueue: latency.rows,
        checks: allProblems.length ? { ok: false, problems: allProblems } : { ok: true },
      },
      failed: allProblems.length > 0,
    };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/**
 * Enqueue latency, on the app that works no jobs (the jobs stay queued): a keyed project.bulk of
 * one project by id (idempotency record + job row in one transaction) next to a keyed
 * project.create (idempotency record + project + event), both on 1 connection.
 */
async function measureEnqueue(opts: BulkOptions, sql: postgres.Sql, app: ServerProcess, token: string) {
  const [target] = await sql<{ id: string; version: number }[]>`select id, version from projects order by created_at desc limit 1`;
  if (!target) throw new Error("no project to select");
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const key = () => ({ "idempotency-key": randomUUID() });
  const cases = [
    {
      id: "bulk",
      name: "keyed project.bulk (starts a job)",
      body: JSON.stringify({ json: { change: { action: "archive" }, selection: { ids: [{ id: target.id, expectedVersion: target.version }] } } }),
      path: bulkPath,
    },
    {
      id: "create",
      name: "keyed project.create (no job)",
      body: JSON.stringify({ json: { name: "Bench enqueue reference", description: "A keyed write of about the same size, without an enqueue.", tags: ["bench"] } }),
      path: "/trpc/project.create",
    },
  ] as const;
  const results = new Map<string, LoadResult[]>();
  const problems: string[] = [];
  for (let round = 1; round <= 2; round++) {
    for (const c of round % 2 === 1 ? cases : [...cases].reverse()) {
      const r = await measure({
        url: `${app.url}${c.path}`,
        method: "POST",
        headers,
        body: c.body,
        perRequestHeaders: key,
        connections: 1,
        warmupSeconds: Math.min(opts.warmupSeconds, 1),
        durationSeconds: opts.latencySeconds,
      });
      if (r.non2xx + r.errors + r.timeouts > 0) problems.push(`${c.name}: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`);
      results.set(c.id, [...(results.get(c.id) ?? []), r]);
    }
  }
  const rowOf = (c: (typeof cases)[number]) => {
    const rounds = results.get(c.id) ?? [];
    return { id: c.id, name: c.name, ...summarize(rounds.flatMap((r) => r.latencies)), rps: rounds.reduce((a, r) => a + r.rps, 0) / (rounds.length || 1) };
  };
  const [bulk, create] = cases.map(rowOf) as [ReturnType<typeof rowOf>, ReturnType<typeof rowOf>];
  return { rows: [bulk, create], bulk, create, problems };
}
