// `pnpm bench`: the Trellis list endpoint over tRPC and REST against a bare Fastify +
// postgres.js baseline running the same query, measured in the same run on the same data; then
// the exactly-once cases (create with and without an Idempotency-Key, a replay against a byId
// read, see writes.ts). A report, not a test: nothing here asserts on timings.
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { ConfigError, loadConfig } from "@trellis/config";
import superjson from "superjson";
import { type PostgresCpu, postgresCpu } from "./cpu.js";
import { measureBulk } from "./bulk.js";
import { measureExport } from "./export.js";
import { type BenchDatabase, createBenchDatabase, seedBenchDatabase } from "./database.js";
import { type LoadOptions, type LoadResult, measure, pooledPerRequest, renderTable, summarize } from "./load.js";
import { summarizeProfile } from "./profile.js";
import type { ServerSpec } from "./servers/protocol.js";
import { type ServerKind, type ServerProcess, startServer } from "./servers/spawn.js";
import {
  aggregateWrite,
  checkEffects,
  type Counter,
  createCounter,
  createInput,
  loadOptionsOf,
  OVERHEAD_TARGET,
  prepareWrites,
  ratioTable,
  REPLAY_TARGET,
  type RunEffects,
  responseTally,
  roundOrder,
  type WriteCase,
  type WriteCaseId,
  writeCases,
  writeRatios,
  writeTable,
} from "./writes.js";

const TARGET_RATIO = 0.8;
const POOL_SIZE = 10; // the app's default postgres.js pool (createDb maxConnections)
const LIST_LIMIT = 50;

const usage = `Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/test [REDIS_URL=redis://127.0.0.1:6379] pnpm bench [-- options]

Options:
  --cases <which>     list | writes | bulk | export | all (default all): the list cases, the exactly-once
                      cases, the bulk-change job against its baseline (with enqueue latency), the CSV
                      export job against a bare COPY, or all four
  --duration <s>      measured seconds per list case and round (default 10)
  --write-duration <s>  measured seconds per exactly-once case and round (default 6; creates add rows)
  --warmup <s>        discarded warm-up seconds before each measurement (default 2)
  --connections <n>   concurrent keep-alive connections (default 10)
  --rounds <n>        interleaved rounds over all cases; results pool all rounds (default 2)
  --projects <n>      projects to seed (default 10000)
  --export-rows <n>   live projects the export case exports (topped up after the other cases; default 100000)
  --profile           instead of the table: CPU-profile each server under load and print where the time goes
  --help`;

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

function readOptions() {
  let values;
  try {
    const args = process.argv.slice(2);
    ({ values } = parseArgs({
      // `pnpm bench -- --duration 5` passes the "--" through; options follow it.
      args: args[0] === "--" ? args.slice(1) : args,
      options: {
        cases: { type: "string", default: "all" },
        duration: { type: "string", default: "10" },
        "write-duration": { type: "string", default: "6" },
        warmup: { type: "string", default: "2" },
        connections: { type: "string", default: "10" },
        rounds: { type: "string", default: "2" },
        projects: { type: "string", default: "10000" },
        "export-rows": { type: "string", default: "100000" },
        profile: { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
    }));
  } catch (e) {
    fail(`${e instanceof Error ? e.message : String(e)}\n\n${usage}`);
  }
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const int = (name: string, raw: string, min: number) => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) fail(`--${name} must be an integer >= ${min}\n\n${usage}`);
    return n;
  };
  const which = values.cases;
  if (which !== "list" && which !== "writes" && which !== "bulk" && which !== "export" && which !== "all") {
    fail(`--cases must be list, writes, bulk, export or all\n\n${usage}`);
  }
  return {
    list: which === "list" || which === "all",
    writes: which === "writes" || which === "all",
    bulk: which === "bulk" || which === "all",
    export: which === "export" || which === "all",
    durationSeconds: int("duration", values.duration, 1),
    writeDurationSeconds: int("write-duration", values["write-duration"], 1),
    warmupSeconds: int("warmup", values.warmup, 0),
    connections: int("connections", values.connections, 1),
    rounds: int("rounds", values.rounds, 1),
    projects: int("projects", values.projects, LIST_LIMIT + 1),
    exportRows: int("export-rows", values["export-rows"], 1),
    profile: values.profile,
  };
}

function readEnvironment(): { databaseUrl: string; redisUrl: string | undefined } {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) fail(`pnpm bench: ${e.message}`);
    throw e;
  }
  if (!config.databaseUrl) {
    fail(
      [
        "pnpm bench needs a real Postgres server: DATABASE_URL is not set.",
        "",
        "The benchmark creates a throwaway database (trellis_bench_<random>) on that server, seeds it,",
        "measures, and drops it again; the database named in the URL is only used to connect.",
        "",
        "  DATABASE_URL=postgres://postgres@127.0.0.1:5432/test pnpm bench",
        "  DATABASE_URL=postgres://postgres@127.0.0.1:5432/test REDIS_URL=redis://127.0.0.1:6379 pnpm bench",
      ].join("\n"),
    );
  }
  return { databaseUrl: config.databaseUrl, redisUrl: config.redisUrl };
}

/** Host, port and database, never credentials. */
function describeUrl(raw: string): string {
  const u = new URL(raw);
  return `${u.protocol}//${u.hostname}${u.port ? `:${u.port}` : ""}${u.pathname}`;
}

interface Case {
  id: "baseline" | "trpc" | "rest";
  name: string;
  server: ServerKind;
  path: string;
  auth: boolean;
}

const trpcInput = encodeURIComponent(JSON.stringify(superjson.serialize({ limit: LIST_LIMIT })));
const cases: Case[] = [
  { id: "baseline", name: "baseline: Fastify + postgres.js", server: "baseline", path: `/projects?limit=${LIST_LIMIT}`, auth: false },
  { id: "trpc", name: "tRPC project.list (superjson)", server: "app", path: `/trpc/project.list?input=${trpcInput}`, auth: true },
  { id: "rest", name: "REST GET /api/v1/projects", server: "app", path: `/api/v1/projects?limit=${LIST_LIMIT}`, auth: true },
];

async function login(appUrl: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${appUrl}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

interface ListPage {
  items: Array<Record<string, unknown>>;
  nextCursor: string | null;
}

/** One request per case, decoded to plain JSON, so we know all three do the same work. */
async function fetchPage(c: Case, baseUrl: string, headers: Record<string, string>): Promise<ListPage> {
  const res = await fetch(`${baseUrl}${c.path}`, { headers });
  const body = (await res.json()) as unknown;
  if (!res.ok) throw new Error(`${c.name}: GET ${c.path} answered ${res.status}: ${JSON.stringify(body).slice(0, 500)}`);
  const page =
    c.id === "trpc"
      ? superjson.deserialize<ListPage>((body as { result: { data: Parameters<typeof superjson.deserialize>[0] } }).result.data)
      : (body as ListPage);
  return JSON.parse(JSON.stringify(page)) as ListPage;
}

function comparePages(pages: Map<Case["id"], ListPage>): string[] {
  const problems: string[] = [];
  const base = pages.get("baseline");
  if (!base) return ["baseline page missing"];
  if (base.items.length !== LIST_LIMIT) problems.push(`baseline returned ${base.items.length} items, expected ${LIST_LIMIT}`);
  const canonical = (p: ListPage) =>
    JSON.stringify({
      items: p.items.map((it) => Object.fromEntries(Object.entries(it).sort(([a], [b]) => a.localeCompare(b)))),
      nextCursor: p.nextCursor,
    });
  for (const [id, page] of pages) {
    if (id !== "baseline" && canonical(page) !== canonical(base)) {
      const a = page.items[0] ?? {};
      const b = base.items[0] ?? {};
      problems.push(
        `${id} does not return the same page as the baseline (items ${page.items.length} vs ${base.items.length}, ` +
          `cursor ${page.nextCursor === base.nextCursor ? "equal" : "differs"}; first item ${JSON.stringify(a)} vs ${JSON.stringify(b)})`,
      );
    }
  }
  return problems;
}

interface CaseReport {
  id: Case["id"];
  name: string;
  request: string;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  ratio: number;
  /** Server process CPU (user + system) per response, µs. */
  serverCpuUsPerRequest: number;
  /** Baseline CPU per request / this case's: how many times cheaper (<1: more expensive). */
  cpuRatio: number;
  /** CPU of the Postgres backends per response, µs (NaN unless Postgres runs on this machine). */
  postgresCpuUsPerRequest: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  bytesPerResponse: number;
  rounds: Array<Pick<LoadResult, "rps" | "p50" | "p99" | "cpuUsPerRequest" | "postgresCpuUsPerRequest" | "requests" | "non2xx" | "errors">>;
}

function cpuPerRequest(rounds: LoadResult[], key: "cpuUsPerRequest" | "postgresCpuUsPerRequest" = "cpuUsPerRequest"): number {
  return pooledPerRequest(rounds, key);
}

function aggregate(c: Case, rounds: LoadResult[], baseline: { rps: number; cpu: number }): CaseReport {
  const latencies = rounds.flatMap((r) => r.latencies);
  const { p50, p99, mean } = summarize(latencies);
  const rps = rounds.reduce((a, r) => a + r.rps, 0) / rounds.length;
  const sum = (k: "requests" | "non2xx" | "errors" | "timeouts") => rounds.reduce((a, r) => a + r[k], 0);
  return {
    id: c.id,
    name: c.name,
    request: `GET ${decodeURIComponent(c.path)}`,
    rps,
    p50Ms: p50,
    p99Ms: p99,
    meanMs: mean,
    ratio: rps / baseline.rps,
    serverCpuUsPerRequest: cpuPerRequest(rounds),
    cpuRatio: baseline.cpu / cpuPerRequest(rounds),
    postgresCpuUsPerRequest: cpuPerRequest(rounds, "postgresCpuUsPerRequest"),
    requests: sum("requests"),
    non2xx: sum("non2xx"),
    errors: sum("errors"),
    timeouts: sum("timeouts"),
    bytesPerResponse: Math.round(rounds.reduce((a, r) => a + r.bytesPerResponse, 0) / rounds.length),
    rounds: rounds.map(({ rps, p50, p99, cpuUsPerRequest, postgresCpuUsPerRequest, requests, non2xx, errors }) => ({
      rps,
      p50,
      p99,
      cpuUsPerRequest,
      postgresCpuUsPerRequest,
      requests,
      non2xx,
      errors,
    })),
  };
}

function table(rows: CaseReport[]): string {
  const header = ["case", "req/s", "p50 ms", "p99 ms", "vs baseline", "server CPU/req", "CPU vs baseline", "Postgres CPU/req", "failed"];
  const body = rows.map((r) => [
    r.name,
    r.rps.toFixed(0),
    r.p50Ms.toFixed(2),
    r.p99Ms.toFixed(2),
    `${r.ratio.toFixed(2)}x`,
    `${r.serverCpuUsPerRequest.toFixed(0)} µs`,
    `${r.cpuRatio.toFixed(2)}x`,
    Number.isNaN(r.postgresCpuUsPerRequest) ? "n/a" : `${r.postgresCpuUsPerRequest.toFixed(0)} µs`,
    String(r.non2xx + r.errors + r.timeouts),
  ]);
  return renderTable(header, body);
}

async function main() {
  const opts = readOptions();
  const env = readEnvironment();
  const machine = {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? "unknown",
    totalMemoryGb: Math.round(totalmem() / 2 ** 30),
    loadAverageBefore: loadavg().map((n) => Number(n.toFixed(2))),
  };
  const isolation =
    "each server runs in its own child process (same Node flags, same pool size); autocannon runs in the runner process, so the load generator never shares an event loop with the server under test";

  console.log(`Trellis bench — node ${machine.node}, ${machine.cpus} x ${machine.cpuModel}, load average ${machine.loadAverageBefore.join(" ")}`);
  console.log(`Postgres ${describeUrl(env.databaseUrl)}; Redis ${env.redisUrl ? describeUrl(env.redisUrl) : "not set (in-memory kv)"}`);
  console.log(`Isolation: ${isolation}.`);

  const servers: ServerProcess[] = [];
  let database: BenchDatabase | undefined;
  let pgCpu: PostgresCpu | undefined;
  let counter: Counter | undefined;
  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      await Promise.allSettled([...servers.map((s) => s.stop()), pgCpu?.close(), counter?.close()]);
      if (database) {
        await database.drop().then(
          () => console.log(`Dropped ${database?.name}.`),
          (e: unknown) => console.error(`Could not drop ${database?.name}: ${e instanceof Error ? e.message : String(e)}`),
        );
      }
    })());
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    // `on`, not `once`: Ctrl-C reaches this process more than once (from the terminal and relayed
    // by pnpm/tsx), and a second default SIGINT would kill it before the database is dropped.
    process.on(signal, () => {
      if (cleaning) return;
      console.error(`\n${signal}: stopping servers and dropping the bench database...`);
      void cleanup().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
    });
  }

  try {
    database = await createBenchDatabase(env.databaseUrl);
    console.log(`Created and migrated ${database.name}.`);
    const seed = await seedBenchDatabase(database.url, opts.projects);
    console.log(`Seeded ${seed.projects} projects (${seed.visible} not archived) and ${seed.users} users in ${(seed.ms / 1000).toFixed(1)} s, analyzed.`);

    const spec: ServerSpec = {
      databaseUrl: database.url,
      redisUrl: env.redisUrl,
      poolSize: POOL_SIZE,
      authSecret: "trellis-bench-secret-".padEnd(40, "x"),
    };

    if (opts.profile) {
      await profileRun(spec, seed, opts, servers, database.url);
      return;
    }

    pgCpu = await postgresCpu(database.url, database.name);
    const baseline = opts.list ? await startServer("baseline", spec) : undefined;
    if (baseline) servers.push(baseline);
    const app = await startServer("app", spec);
    servers.push(app);

    const listPart = opts.list && baseline ? await measureList(opts, baseline, app, seed.login, pgCpu) : undefined;
    // After the list cases (it rewrites every project), before the creates (it changes all the seeded projects, no more).
    const bulkPart = opts.bulk
      ? await measureBulk(
          { rounds: opts.rounds, warmupSeconds: opts.warmupSeconds, latencySeconds: opts.writeDurationSeconds },
          database.url,
          spec,
          app,
          await login(app.url, seed.editor.email, seed.editor.password),
          seed.editor.id,
          servers,
        )
      : undefined;
    let writePart: Awaited<ReturnType<typeof measureWrites>> | undefined;
    if (opts.writes) {
      counter = createCounter(database.url);
      writePart = await measureWrites(opts, app, seed.editor, counter, pgCpu);
    }
    // Last: it adds projects up to --export-rows, which would change every case above.
    const exportPart = opts.export
      ? await measureExport(
          { rounds: opts.rounds, rows: opts.exportRows },
          database.url,
          spec,
          await login(app.url, seed.editor.email, seed.editor.password),
          seed.editor.id,
          servers,
        )
      : undefined;

    const report = {
      timestamp: new Date().toISOString(),
      machine: { ...machine, loadAverageAfter: loadavg().map((n) => Number(n.toFixed(2))) },
      setup: {
        isolation,
        connections: opts.connections,
        warmupSeconds: opts.warmupSeconds,
        durationSeconds: opts.durationSeconds,
        writeDurationSeconds: opts.writeDurationSeconds,
        rounds: opts.rounds,
        poolSize: POOL_SIZE,
        listLimit: LIST_LIMIT,
        projects: seed.projects,
        visibleProjects: seed.visible,
        users: seed.users,
        redis: Boolean(env.redisUrl),
        postgres: describeUrl(env.databaseUrl).replace(/\/[^/]*$/, ""),
        latency: "percentiles over every 2xx response of all rounds (ms, sub-millisecond resolution)",
        throughput: "mean of autocannon's requests.average over the rounds",
        serverCpu:
          "user+system CPU of the server process over the measured window (process.cpuUsage via IPC) per 2xx response; less sensitive than req/s to other load on the machine",
        postgresCpu:
          "user+system CPU of the bench database's Postgres backends over the measured window (/proc, 10 ms ticks) per 2xx response; only when Postgres runs on this machine",
      },
      targetRatio: TARGET_RATIO,
      equivalence: listPart ? (listPart.problems.length ? { ok: false, problems: listPart.problems } : { ok: true }) : undefined,
      cases: listPart?.rows ?? [],
      exactlyOnce: writePart?.report,
      bulk: bulkPart?.report,
      export: exportPart?.report,
    };
    const dir = fileURLToPath(new URL("../results/", import.meta.url));
    mkdirSync(dir, { recursive: true });
    const file = `${dir}latest.json`;
    const rounded = (_key: string, v: unknown) => (typeof v === "number" && !Number.isInteger(v) ? Number(v.toFixed(3)) : v);
    writeFileSync(file, `${JSON.stringify(report, rounded, 2)}\n`);
    console.log(`Wrote ${file}`);
    // Not a timing assertion: a case that failed requests, or did not do what it claims, measured something else.
    if (listPart?.failed || writePart?.failed || bulkPart?.failed || exportPart?.failed) process.exitCode = 1;
  } finally {
    await cleanup();
  }
}

/** The list cases: baseline vs tRPC vs REST on the seeded data, interleaved over the rounds. */
async function measureList(
  opts: ReturnType<typeof readOptions>,
  baseline: ServerProcess,
  app: ServerProcess,
  user: { email: string; password: string },
  pgCpu: PostgresCpu | undefined,
) {
  const token = await login(app.url, user.email, user.password);
  const serverOf = (c: Case) => (c.server === "baseline" ? baseline : app);
  const urlOf = (c: Case) => serverOf(c).url;
  const headersOf = (c: Case): Record<string, string> => (c.auth ? { authorization: `Bearer ${token}` } : {});

  const pages = new Map<Case["id"], ListPage>();
  for (const c of cases) pages.set(c.id, await fetchPage(c, urlOf(c), headersOf(c)));
  const problems = comparePages(pages);
  if (problems.length === 0) console.log(`Checked: all cases return the same ${LIST_LIMIT}-item page and cursor.`);
  for (const p of problems) console.warn(`WARNING: ${p}`);

  const total = opts.rounds * cases.length * (opts.warmupSeconds + opts.durationSeconds);
  console.log(
    `Measuring ${cases.length} list cases x ${opts.rounds} round(s): ${opts.warmupSeconds} s warm-up + ${opts.durationSeconds} s each, ` +
      `${opts.connections} connections (~${total} s)...`,
  );
  const results = new Map<Case["id"], LoadResult[]>();
  for (let round = 1; round <= opts.rounds; round++) {
    for (const c of cases) {
      const r = await measure({
        url: `${urlOf(c)}${c.path}`,
        headers: headersOf(c),
        connections: opts.connections,
        warmupSeconds: opts.warmupSeconds,
        durationSeconds: opts.durationSeconds,
        serverCpu: () => serverOf(c).cpuUsage(),
        postgresCpu: pgCpu?.snapshot,
      });
      console.log(`  round ${round} ${c.id.padEnd(12)} ${roundLine(r, Boolean(pgCpu))}`);
      results.set(c.id, [...(results.get(c.id) ?? []), r]);
    }
  }

  const baselineRounds = results.get("baseline") ?? [];
  const baselineRef = {
    rps: baselineRounds.reduce((a, r) => a + r.rps, 0) / (baselineRounds.length || 1),
    cpu: cpuPerRequest(baselineRounds),
  };
  const rows = cases.map((c) => aggregate(c, results.get(c.id) ?? [], baselineRef));

  console.log("");
  console.log(table(rows));
  console.log("");
  const failing = rows.filter((r) => r.non2xx || r.errors || r.timeouts);
  for (const r of failing) {
    console.warn(`WARNING: ${r.name}: ${r.non2xx} non-2xx responses, ${r.errors} errors, ${r.timeouts} timeouts — its numbers are not comparable.`);
  }
  for (const r of rows.filter((row) => row.id !== "baseline")) {
    console.log(
      `${r.name}: ${r.ratio.toFixed(2)}x the baseline's throughput, ${r.cpuRatio.toFixed(2)}x its CPU efficiency ` +
        `(target >= ${TARGET_RATIO}x)${r.ratio >= TARGET_RATIO ? "" : " — below target"}.`,
    );
  }
  console.log("");
  return { rows, problems, failed: failing.length > 0 || problems.length > 0 };
}

function roundLine(r: LoadResult, withPostgres: boolean): string {
  const bad = r.non2xx + r.errors + r.timeouts;
  return (
    `${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms  server CPU ${r.cpuUsPerRequest.toFixed(0)} µs/req` +
    (withPostgres ? `  Postgres CPU ${r.postgresCpuUsPerRequest.toFixed(0)} µs/req` : "") +
    (bad ? `  (${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts)` : "")
  );
}

/**
 * The exactly-once cases, after the list cases (creates add rows; the list cases stay on the
 * seeded data): checked once by hand, then measured in their own interleaved rounds, each run
 * checked against the row counts and the responses' Idempotent-Replayed headers.
 */
async function measureWrites(
  opts: ReturnType<typeof readOptions>,
  app: ServerProcess,
  user: { email: string; password: string },
  counter: Counter,
  pgCpu: PostgresCpu | undefined,
) {
  const token = await login(app.url, user.email, user.password);
  const setup = await prepareWrites(app.url, token, counter);
  const problems = [...setup.problems];
  if (problems.length === 0) {
    console.log("Checked: a keyed create and an unkeyed create each add a project (the keyed one an idempotency record too); the replay adds nothing, is marked Idempotent-Replayed: true and returns what byId returns.");
  }
  for (const p of problems) console.warn(`WARNING: ${p}`);

  const writes = writeCases(token, setup, opts.connections);
  const total = opts.rounds * writes.length * (opts.warmupSeconds + opts.writeDurationSeconds);
  console.log(
    `Measuring ${writes.length} exactly-once cases x ${opts.rounds} round(s): ${opts.warmupSeconds} s warm-up + ${opts.writeDurationSeconds} s each, ` +
      `${opts.connections} connections (the second create pair: 1) (~${total} s)...`,
  );
  const results = new Map<WriteCaseId, Array<{ load: LoadResult; effects: RunEffects }>>();
  for (let round = 1; round <= opts.rounds; round++) {
    for (const c of roundOrder(writes, round)) {
      const before = await counter.settled();
      const { tally, onResponse } = responseTally();
      const load = await measure({
        ...loadOptionsOf(c, app.url),
        onResponse,
        warmupSeconds: opts.warmupSeconds,
        durationSeconds: opts.writeDurationSeconds,
        serverCpu: () => app.cpuUsage(),
        postgresCpu: pgCpu?.snapshot,
      });
      const after = await counter.settled();
      const effects: RunEffects = { ...tally, projects: after.projects - before.projects, records: after.records - before.records };
      const runProblems = checkEffects(c, effects).map((p) => `round ${round}: ${p}`);
      problems.push(...runProblems);
      console.log(
        `  round ${round} ${c.id.padEnd(14)} ${roundLine(load, Boolean(pgCpu))}` +
          (c.effect.projects ? `  +${effects.projects} projects` : "") +
          (c.effect.replayed ? `  ${effects.replayed}/${effects.ok} replayed` : ""),
      );
      for (const p of runProblems) console.warn(`WARNING: ${p}`);
      results.set(c.id, [...(results.get(c.id) ?? []), { load, effects }]);
    }
  }

  const rows = writes.map((c) => aggregateWrite(c, results.get(c.id) ?? []));
  const ratios = writeRatios(rows);
  console.log("");
  console.log(writeTable(rows));
  console.log("");
  if (ratios) {
    console.log(ratioTable(ratios, opts.connections));
    console.log("");
  }
  const failing = rows.filter((r) => r.non2xx || r.errors || r.timeouts);
  for (const r of failing) {
    console.warn(`WARNING: ${r.name}: ${r.non2xx} non-2xx responses, ${r.errors} errors, ${r.timeouts} timeouts — its numbers are not comparable.`);
  }
  const created = rows.reduce((a, r) => a + r.effects.projects, 0);
  console.log(
    `The create cases added ${created} projects to the bench database (the list cases ran before them, on the seeded data).` +
      (problems.length ? ` ${problems.length} check(s) failed, see the warnings above.` : " Every run's row counts and replay headers matched its case."),
  );
  const report = {
    note: "creates add rows (the list cases run first, on the seeded data); every create sends the same body",
    durationSeconds: opts.writeDurationSeconds,
    createInput,
    targets: {
      idempotencyOverheadP50: `<= ${OVERHEAD_TARGET}x (idempotency adds at most ${Math.round((OVERHEAD_TARGET - 1) * 100)}% to create latency at p50)`,
      replayVsById: `>= ${REPLAY_TARGET}x throughput, <= ${REPLAY_TARGET}x p50 (a replay is at least as fast as a byId read)`,
    },
    checks: problems.length ? { ok: false, problems } : { ok: true },
    ratios,
    cases: rows,
  };
  return { report, failed: failing.length > 0 || problems.length > 0 };
}

/** `--profile`: each server in a fresh child, CPU-profiled over the measured window of one case. */
async function profileRun(
  spec: ServerSpec,
  seed: { login: { email: string; password: string }; editor: { email: string; password: string } },
  opts: ReturnType<typeof readOptions>,
  servers: ServerProcess[],
  databaseUrl: string,
) {
  const dir = fileURLToPath(new URL(`../results/profiles-${new Date().toISOString().replace(/[:.]/g, "-")}/`, import.meta.url));
  mkdirSync(dir, { recursive: true });
  type Target = { name: string; load: Pick<LoadOptions, "url" | "method" | "headers" | "body" | "perRequestHeaders"> };
  const profileOne = async (id: string, kind: ServerKind, target: (server: ServerProcess) => Promise<Target>, durationSeconds: number) => {
    const server = await startServer(kind, spec);
    servers.push(server);
    const { name, load } = await target(server);
    const r = await measure({
      ...load,
      connections: opts.connections,
      warmupSeconds: opts.warmupSeconds,
      durationSeconds,
      beforeMeasure: () => server.profileStart(),
    });
    const file = `${dir}${id}.cpuprofile`;
    await server.profileStop(file);
    // Requests cut off when the load stopped are still running (a create holds a transaction): let them finish.
    await new Promise((r) => setTimeout(r, 500));
    await server.stop();
    servers.splice(servers.indexOf(server), 1);
    const failed = r.non2xx + r.errors + r.timeouts;
    console.log(
      `\n== ${name}: ${r.rps.toFixed(0)} req/s under the profiler (p50 ${r.p50.toFixed(2)} ms)` +
        (failed ? ` — WARNING: ${failed} failed requests, this profile is not of the success path` : ""),
    );
    console.log(summarizeProfile(file, r.requests));
  };

  if (opts.list) {
    for (const c of cases) {
      const target = async (server: ServerProcess): Promise<Target> => {
        const headers: Record<string, string> = c.auth ? { authorization: `Bearer ${await login(server.url, seed.login.email, seed.login.password)}` } : {};
        return { name: c.name, load: { url: `${server.url}${c.path}`, headers } };
      };
      await profileOne(c.id, c.server, target, opts.durationSeconds);
    }
  }
  if (opts.writes) {
    const counter = createCounter(databaseUrl);
    try {
      for (const id of ["create", "create-keyed", "replay", "by-id"] as const) {
        // Under the load's connections, like the table's main cases.
        const target = async (server: ServerProcess): Promise<Target> => {
          // Each server gets its own replay key and project (prepareWrites also checks them).
          const token = await login(server.url, seed.editor.email, seed.editor.password);
          const setup = await prepareWrites(server.url, token, counter);
          for (const p of setup.problems) console.warn(`WARNING: ${p}`);
          const c = writeCases(token, setup, opts.connections).find((w) => w.id === id) as WriteCase;
          return { name: c.name, load: loadOptionsOf(c, server.url) };
        };
        await profileOne(`write-${id}`, "app", target, opts.writeDurationSeconds);
      }
    } finally {
      await counter.close();
    }
  }
  console.log(`\nProfiles (open in Chrome DevTools > Performance): ${dir}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
