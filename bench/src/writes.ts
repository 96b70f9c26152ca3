// The exactly-once cases of `pnpm bench`: what an Idempotency-Key adds to a create, and how a
// replay (same key, same body) compares with a plain read of the same project. All four run over
// tRPC on the real app as the same editor. A report: the checks below are about whether the
// cases did what they claim (rows created, replays marked), never about timings.
import { randomUUID } from "node:crypto";
import postgres from "postgres";
import superjson from "superjson";
import { type LoadOptions, type LoadResult, pooledPerRequest, renderTable, summarize } from "./load.js";

export const OVERHEAD_TARGET = 1.15; // idempotency adds at most 15% to create latency at p50
export const REPLAY_TARGET = 1; // a replay is at least as fast as a byId read

export type WriteCaseId = "create" | "create-keyed" | "create-1" | "create-keyed-1" | "replay" | "by-id";

export interface WriteCase {
  id: WriteCaseId;
  name: string;
  method: "GET" | "POST";
  path: string;
  body?: string;
  /** Sent with every request. */
  headers: Record<string, string>;
  /** Minted for every request. */
  perRequestHeaders?: () => Record<string, string>;
  /** Concurrent connections: the load's, or 1 for the latency of a create with nothing queued ahead of it. */
  connections: number;
  /** What each 2xx response must have done: projects and idempotency records added, marked as a replay. */
  effect: { projects: 0 | 1; records: 0 | 1; replayed: boolean };
}

/** One create input, about the size of a seeded project; every create case sends exactly this body. */
export const createInput = {
  name: "Bench create",
  description: "Created by pnpm bench: a project about the size of the seeded ones, with tags, a budget and a due date.",
  status: "active",
  tags: ["backend", "q1"],
  budgetCents: 1_250_000,
  dueDate: "2027-03-31",
} as const;
const createBody = JSON.stringify({ json: createInput });
const createPath = "/trpc/project.create";

export interface WriteSetup {
  /** The key of the replayed create and the project it created (also what byId reads). */
  replayKey: string;
  projectId: string;
  problems: string[];
}

/**
 * The cases, for a given editor token and the project/key made by prepareWrites. The create pair
 * runs twice: under the load's connections (throughput; latency then includes queueing, since
 * creates serialize on the audit log's event-order lock) and on 1 connection (the latency of one
 * create with nothing queued ahead of it).
 */
export function writeCases(token: string, setup: Pick<WriteSetup, "replayKey" | "projectId">, connections: number): WriteCase[] {
  const auth = { authorization: `Bearer ${token}` };
  const json = { ...auth, "content-type": "application/json" };
  const byIdInput = encodeURIComponent(JSON.stringify({ json: { id: setup.projectId } }));
  const creates = (suffix: "" | "-1", n: number, label: string): WriteCase[] => [
    {
      id: `create${suffix}`,
      name: `create, no key${label}`,
      method: "POST",
      path: createPath,
      body: createBody,
      headers: json,
      // A header of the same size as the key, so both creates send the same bytes and the load
      // generator does the same work per request; the app ignores it.
      perRequestHeaders: () => ({ "x-bench-nonce": randomUUID() }),
      connections: n,
      effect: { projects: 1, records: 0, replayed: false },
    },
    {
      id: `create-keyed${suffix}`,
      name: `create + Idempotency-Key${label}`,
      method: "POST",
      path: createPath,
      body: createBody,
      headers: json,
      perRequestHeaders: () => ({ "idempotency-key": randomUUID() }),
      connections: n,
      effect: { projects: 1, records: 1, replayed: false },
    },
  ];
  return [
    ...creates("", connections, ""),
    ...creates("-1", 1, ", 1 connection"),
    {
      id: "replay",
      name: "replay (same key, same body)",
      method: "POST",
      path: createPath,
      body: createBody,
      headers: { ...json, "idempotency-key": setup.replayKey },
      connections,
      effect: { projects: 0, records: 0, replayed: true },
    },
    {
      id: "by-id",
      name: "project.byId (read)",
      method: "GET",
      path: `/trpc/project.byId?input=${byIdInput}`,
      headers: auth,
      connections,
      effect: { projects: 0, records: 0, replayed: false },
    },
  ];
}

/** The order of one round: each compared pair stays adjacent, and swaps places every other round. */
export function roundOrder(cases: WriteCase[], round: number): WriteCase[] {
  const byId = new Map(cases.map((c) => [c.id, c]));
  const pairs: Array<[WriteCaseId, WriteCaseId]> = [
    ["create", "create-keyed"],
    ["create-1", "create-keyed-1"],
    ["replay", "by-id"],
  ];
  return pairs
    .flatMap(([a, b]) => (round % 2 === 1 ? [a, b] : [b, a]))
    .map((id) => byId.get(id))
    .filter((c): c is WriteCase => c !== undefined);
}

export function loadOptionsOf(c: WriteCase, baseUrl: string): Pick<LoadOptions, "url" | "method" | "headers" | "body" | "perRequestHeaders" | "connections"> {
  return { url: `${baseUrl}${c.path}`, method: c.method, headers: c.headers, body: c.body, perRequestHeaders: c.perRequestHeaders, connections: c.connections };
}

interface Answer {
  status: number;
  replayed: boolean;
  data: unknown;
  raw: string;
}

async function call(baseUrl: string, c: Pick<WriteCase, "method" | "path" | "body" | "headers">, extra: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(`${baseUrl}${c.path}`, { method: c.method, headers: { ...c.headers, ...extra }, body: c.body });
  const raw = await res.text();
  let data: unknown;
  try {
    const parsed = JSON.parse(raw) as { result?: { data?: Parameters<typeof superjson.deserialize>[0] } };
    data = parsed.result?.data === undefined ? undefined : JSON.parse(JSON.stringify(superjson.deserialize(parsed.result.data)));
  } catch {
    data = undefined;
  }
  return { status: res.status, replayed: res.headers.get("idempotent-replayed") === "true", data, raw };
}

/** Row counts of the bench database, read by the runner (not through the app). */
export interface Counts {
  projects: number;
  records: number;
}

export interface Counter {
  read(): Promise<Counts>;
  /** Counts once they stop moving: requests cut off when a load run stopped may still be committing. */
  settled(): Promise<Counts>;
  close(): Promise<void>;
}

export function createCounter(url: string): Counter {
  const client = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  const read = async (): Promise<Counts> => {
    const [row] = await client<[Counts]>`
      select (select count(*)::int from projects) as projects,
             (select count(*)::int from idempotency_records) as records`;
    if (!row) throw new Error("count query returned nothing");
    return row;
  };
  return {
    read,
    async settled() {
      let last = await read();
      for (let i = 0; i < 50; i++) {
        await new Promise((r) => setTimeout(r, 100));
        const now = await read();
        if (now.projects === last.projects && now.records === last.records) return now;
        last = now;
      }
      return last;
    },
    close: () => client.end({ timeout: 5 }),
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Before anything is measured: one keyed create (its key and project become the replay and byId
 * cases), its replay, a byId read of it, one unkeyed and one more keyed create, each checked
 * against the row counts.
 */
export async function prepareWrites(baseUrl: string, token: string, counter: Counter): Promise<WriteSetup> {
  const problems: string[] = [];
  const replayKey = `bench-replay-${randomUUID()}`;
  const casesFor = (projectId: string) => new Map(writeCases(token, { replayKey, projectId }, 1).map((c) => [c.id, c]));
  const expectCounts = (step: string, before: Counts, after: Counts, projects: number, records: number) => {
    if (after.projects - before.projects !== projects || after.records - before.records !== records) {
      problems.push(
        `${step}: expected +${projects} projects and +${records} idempotency records, got ` +
          `+${after.projects - before.projects} and +${after.records - before.records}`,
      );
    }
  };
  const answered = async (step: string, c: WriteCase | undefined, replayed: boolean): Promise<Answer | undefined> => {
    if (!c) throw new Error(`no case for ${step}`);
    const before = await counter.read();
    const a = await call(baseUrl, c, c.perRequestHeaders?.());
    if (a.status !== 200 || a.data === undefined) problems.push(`${step}: answered ${a.status}: ${a.raw.slice(0, 300)}`);
    if (a.replayed !== replayed) problems.push(`${step}: ${replayed ? "no" : "an unexpected"} Idempotent-Replayed: true header`);
    expectCounts(step, before, await counter.read(), c.effect.projects, c.effect.records);
    return a.status === 200 ? a : undefined;
  };

  let cases = casesFor("");
  // The replay case's key, used once for real: this create is what every replay returns.
  const replayCase = cases.get("replay");
  const firstUse = replayCase && { ...replayCase, effect: { projects: 1, records: 1, replayed: false } as const };
  const original = await answered("first create with the replay key", firstUse, false);
  const projectId = (original?.data as { id?: string } | undefined)?.id ?? "";
  cases = casesFor(projectId);
  const replay = await answered("replay", cases.get("replay"), true);
  if (replay && !same(replay.data, original?.data)) problems.push("replay: the result differs from the original create's");
  const read = await answered("byId", cases.get("by-id"), false);
  if (read && !same(read.data, original?.data)) problems.push("byId: does not return the project the replay returns");
  await answered("create without a key", cases.get("create"), false);
  await answered("create with a new key", cases.get("create-keyed"), false);
  return { replayKey, projectId, problems };
}

/** What one load run of a case did, counted by the runner and from the responses. */
export interface RunEffects {
  /** 2xx responses over warm-up and measured window. */
  ok: number;
  replayed: number;
  projects: number;
  records: number;
}

/** Responses counter to pass as LoadOptions.onResponse. */
export function responseTally() {
  const tally = { ok: 0, replayed: 0 };
  return {
    tally,
    onResponse: (status: number, headers: Record<string, string>) => {
      if (status < 200 || status >= 300) return;
      tally.ok++;
      if (headers["idempotent-replayed"] === "true") tally.replayed++;
    },
  };
}

/**
 * Whether a run did what its case claims. A create cut off when a load run stops (at most one per
 * connection, for the warm-up and for the measured window) may still commit without its response
 * being counted, hence the slack.
 */
export function checkEffects(c: WriteCase, e: RunEffects): string[] {
  const problems: string[] = [];
  const slack = 2 * c.connections;
  if (c.effect.projects === 1) {
    if (e.projects < e.ok || e.projects > e.ok + slack) {
      problems.push(`${c.id}: ${e.ok} successful creates but ${e.projects} new projects (expected ${e.ok} to ${e.ok + slack})`);
    }
  } else if (e.projects !== 0) {
    problems.push(`${c.id}: created ${e.projects} projects, expected none`);
  }
  const records = c.effect.records === 1 ? e.projects : 0;
  if (e.records !== records) problems.push(`${c.id}: ${e.records} new idempotency records, expected ${records}`);
  const replayed = c.effect.replayed ? e.ok : 0;
  if (e.replayed !== replayed) problems.push(`${c.id}: ${e.replayed} of ${e.ok} responses marked Idempotent-Replayed, expected ${replayed}`);
  return problems;
}

export interface WriteCaseReport {
  id: WriteCaseId;
  name: string;
  request: string;
  connections: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  serverCpuUsPerRequest: number;
  postgresCpuUsPerRequest: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  bytesPerResponse: number;
  /** Summed over rounds, warm-ups included. */
  effects: RunEffects;
  rounds: Array<Pick<LoadResult, "rps" | "p50" | "p99" | "cpuUsPerRequest" | "postgresCpuUsPerRequest" | "requests" | "non2xx" | "errors"> & RunEffects>;
}

export function aggregateWrite(c: WriteCase, rounds: Array<{ load: LoadResult; effects: RunEffects }>): WriteCaseReport {
  const loads = rounds.map((r) => r.load);
  const { p50, p99, mean } = summarize(loads.flatMap((r) => r.latencies));
  const sum = (k: "requests" | "non2xx" | "errors" | "timeouts") => loads.reduce((a, r) => a + r[k], 0);
  const effect = (k: keyof RunEffects) => rounds.reduce((a, r) => a + r.effects[k], 0);
  return {
    id: c.id,
    name: c.name,
    connections: c.connections,
    request:
      `${c.method} ${decodeURIComponent(c.path)}` +
      (c.body ? ` ${c.body}` : "") +
      (c.headers["idempotency-key"] ? " (Idempotency-Key fixed)" : "") +
      (c.perRequestHeaders ? ` (${Object.keys(c.perRequestHeaders()).join(", ")} new per request)` : ""),
    rps: loads.reduce((a, r) => a + r.rps, 0) / (loads.length || 1),
    p50Ms: p50,
    p99Ms: p99,
    meanMs: mean,
    serverCpuUsPerRequest: pooledPerRequest(loads, "cpuUsPerRequest"),
    postgresCpuUsPerRequest: pooledPerRequest(loads, "postgresCpuUsPerRequest"),
    requests: sum("requests"),
    non2xx: sum("non2xx"),
    errors: sum("errors"),
    timeouts: sum("timeouts"),
    bytesPerResponse: Math.round(loads.reduce((a, r) => a + r.bytesPerResponse, 0) / (loads.length || 1)),
    effects: { ok: effect("ok"), replayed: effect("replayed"), projects: effect("projects"), records: effect("records") },
    rounds: rounds.map(({ load, effects }) => ({
      rps: load.rps,
      p50: load.p50,
      p99: load.p99,
      cpuUsPerRequest: load.cpuUsPerRequest,
      postgresCpuUsPerRequest: load.postgresCpuUsPerRequest,
      requests: load.requests,
      non2xx: load.non2xx,
      errors: load.errors,
      ...effects,
    })),
  };
}

export interface WriteRatios {
  /** create + key over create without; >1: the key costs that much more. */
  idempotencyOverhead: {
    /** p50 latency on 1 connection: one create with nothing queued ahead of it (what the target is judged on). */
    p50: number;
    /** p50 and p99 under the load's connections: includes queueing for the event-order lock. */
    p50Loaded: number;
    p99Loaded: number;
    /** Throughput under the load's connections, keyed over unkeyed (<1: fewer creates per second). */
    throughput: number;
    serverCpu: number;
    postgresCpu: number;
    target: string;
    met: boolean;
  };
  /** replay over byId: throughput >1 and p50 <1 mean the replay is faster. */
  replayVsById: { throughput: number; p50: number; serverCpu: number; target: string; met: boolean };
}

export function writeRatios(rows: WriteCaseReport[]): WriteRatios | undefined {
  const get = (id: WriteCaseId) => rows.find((r) => r.id === id);
  const plain = get("create");
  const keyed = get("create-keyed");
  const plain1 = get("create-1");
  const keyed1 = get("create-keyed-1");
  const replay = get("replay");
  const read = get("by-id");
  if (!plain || !keyed || !plain1 || !keyed1 || !replay || !read) return undefined;
  const overheadP50 = keyed1.p50Ms / plain1.p50Ms;
  const replayThroughput = replay.rps / read.rps;
  const replayP50 = replay.p50Ms / read.p50Ms;
  return {
    idempotencyOverhead: {
      p50: overheadP50,
      p50Loaded: keyed.p50Ms / plain.p50Ms,
      p99Loaded: keyed.p99Ms / plain.p99Ms,
      throughput: keyed.rps / plain.rps,
      serverCpu: keyed.serverCpuUsPerRequest / plain.serverCpuUsPerRequest,
      postgresCpu: keyed.postgresCpuUsPerRequest / plain.postgresCpuUsPerRequest,
      target: `p50 latency of a create with a key <= ${OVERHEAD_TARGET}x without (1 connection)`,
      met: overheadP50 <= OVERHEAD_TARGET,
    },
    replayVsById: {
      throughput: replayThroughput,
      p50: replayP50,
      serverCpu: replay.serverCpuUsPerRequest / read.serverCpuUsPerRequest,
      target: `replay throughput >= ${REPLAY_TARGET}x and p50 latency <= ${REPLAY_TARGET}x a byId read`,
      met: replayThroughput >= REPLAY_TARGET && replayP50 <= REPLAY_TARGET,
    },
  };
}

const pct = (ratio: number) => `${ratio >= 1 ? "+" : "−"}${Math.abs((ratio - 1) * 100).toFixed(1)}%`;
const times = (ratio: number) => `${ratio.toFixed(2)}x`;
const us = (n: number) => (Number.isNaN(n) ? "n/a" : `${n.toFixed(0)} µs`);

export function writeTable(rows: WriteCaseReport[]): string {
  return renderTable(
    ["exactly-once case (tRPC, editor)", "conns", "req/s", "p50 ms", "p99 ms", "server CPU/req", "Postgres CPU/req", "failed"],
    rows.map((r) => [
      r.name,
      String(r.connections),
      r.rps.toFixed(0),
      r.p50Ms.toFixed(2),
      r.p99Ms.toFixed(2),
      us(r.serverCpuUsPerRequest),
      us(r.postgresCpuUsPerRequest),
      String(r.non2xx + r.errors + r.timeouts),
    ]),
  );
}

export function ratioTable(ratios: WriteRatios, connections: number): string {
  const o = ratios.idempotencyOverhead;
  const r = ratios.replayVsById;
  const verdict = (met: boolean) => (met ? "met" : "not met");
  const loaded = `${connections} conns`;
  return renderTable(
    ["ratio", "value", "target", ""],
    [
      ["create + key vs no key: p50 latency, 1 conn", pct(o.p50), `<= ${pct(OVERHEAD_TARGET)}`, verdict(o.met)],
      [`create + key vs no key: p50 latency, ${loaded}`, pct(o.p50Loaded), "", ""],
      [`create + key vs no key: p99 latency, ${loaded}`, pct(o.p99Loaded), "", ""],
      [`create + key vs no key: throughput, ${loaded}`, times(o.throughput), "", ""],
      [`create + key vs no key: server CPU/req, ${loaded}`, pct(o.serverCpu), "", ""],
      [`create + key vs no key: Postgres CPU/req, ${loaded}`, Number.isNaN(o.postgresCpu) ? "n/a" : pct(o.postgresCpu), "", ""],
      ["replay vs byId: throughput", times(r.throughput), `>= ${times(REPLAY_TARGET)}`, verdict(r.throughput >= REPLAY_TARGET)],
      ["replay vs byId: p50 latency", times(r.p50), `<= ${times(REPLAY_TARGET)}`, verdict(r.p50 <= REPLAY_TARGET)],
      ["replay vs byId: server CPU/req", times(r.serverCpu), "", ""],
    ],
  );
}
