import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { EXPORT_COLUMNS } from "@trellis/api/schemas";
import { parse } from "csv-parse/sync";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, newKey } from "../test/http.js";
import { startTestServer, type TestServer } from "./testing.js";

// Proof 5 of issue 11: an export's memory does not grow with its size. The server runs in this
// process, so process.memoryUsage() is the server's: sampled every 5 ms while the job runs (request
// → succeeded) and while the file downloads (read as a stream, never held), from a baseline taken
// after a full GC. The same export of 10,000 and of 100,000 projects must cost about the same.

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

let t: TestServer;
let token: string;
const api = (path: string) => `${t.url}/api/v1${path}`;

beforeAll(async () => {
  t = await startTestServer({ jobs: true });
  token = await t.tokenFor("editor");
});
afterAll(() => t?.close());

/** Projects i = from..to-1, in one statement: descriptions of ~60 characters, two tags, a budget and a due date. */
const insertProjects = (from: number, to: number) =>
  t.db.db.execute(sql`
    insert into projects (name, description, owner_id, tags, budget_cents, due_date, created_at)
    select 'Mem ' || lpad(i::text, 6, '0'), 'Row ' || i || ' of the memory proof, with a sentence of text.', ${t.users.editor.id}::uuid,
           array['alpha', 'tag' || (i % 10)], i * 100, date '2027-01-01' + (i % 365), timestamptz '2026-01-01' + i * interval '1 second'
    from generate_series(${from}::int, ${to - 1}::int) as i`);

interface Growth {
  /** Peak RSS over the baseline: the whole process, and with PGlite the embedded database too. */
  rssMb: number;
  /** Peak of the live JS heap (heapUsed right after a full GC, every 100 ms) over the baseline: what the server holds on to. */
  liveMb: number;
}

/** Runs `work` while sampling memory. */
async function measured<T>(work: () => Promise<T>): Promise<{ value: T; growth: Growth }> {
  gc();
  const base = process.memoryUsage();
  let rss = base.rss;
  let live = base.heapUsed;
  let ticks = 0;
  const sample = (full: boolean) => {
    if (full) {
      gc();
      live = Math.max(live, process.memoryUsage().heapUsed);
    }
    rss = Math.max(rss, process.memoryUsage().rss);
  };
  const timer = setInterval(() => sample(++ticks % 20 === 0), 5);
  try {
    const value = await work();
    sample(true);
    return { value, growth: { rssMb: (rss - base.rss) / 2 ** 20, liveMb: (live - base.heapUsed) / 2 ** 20 } };
  } finally {
    clearInterval(timer);
  }
}

async function exportAll(): Promise<{ id: string; rows: number; sizeBytes: number }> {
  const started = await call(api("/exports"), { token, key: newKey(), body: { sort: "createdAt_asc" } });
  if (started.status !== 202) throw new Error(`POST /exports answered ${started.status}`);
  for (;;) {
    const job = await call(api(`/jobs/${started.body.id}`), { token });
    if (job.body.state === "succeeded") return { id: job.body.id, rows: job.body.result.rows, sizeBytes: job.body.result.artifacts[0].sizeBytes };
    if (["failed", "cancelled"].includes(job.body.state)) throw new Error(`export ended ${job.body.state}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Downloads the file as a stream, counting bytes and newlines, keeping none of it. */
async function streamedDownload(id: string): Promise<{ bytes: number; newlines: number }> {
  const res = await fetch(api(`/exports/${id}/file`), { headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 200 || !res.body) throw new Error(`download answered ${res.status}`);
  let bytes = 0;
  let newlines = 0;
  for await (const part of res.body) {
    bytes += part.length;
    for (let i = part.indexOf(10); i !== -1; i = part.indexOf(10, i + 1)) newlines++;
  }
  return { bytes, newlines };
}

async function exportAndMeasure(n: number) {
  const job = await measured(exportAll);
  const file = await measured(() => streamedDownload(job.value.id));
  expect(job.value.rows).toBe(n);
  expect(file.value.bytes).toBe(job.value.sizeBytes);
  // Header + one line per project (no cell here holds a newline).
  expect(file.value.newlines).toBe(n + 1);
  return { id: job.value.id, sizeMb: job.value.sizeBytes / 2 ** 20, job: job.growth, download: file.growth };
}

const SMALL = 10_000;
const LARGE = 100_000;

describe("exporting 100,000 projects", () => {
  it("costs about the memory of exporting 10,000, and the file parses back to the rows", { timeout: 180_000 }, async () => {
    await insertProjects(0, SMALL);
    const small = await exportAndMeasure(SMALL);
    await insertProjects(SMALL, LARGE);
    const large = await exportAndMeasure(LARGE);
    const mode = t.db.url ? "Postgres" : "PGlite";
    console.log(`export memory growth, MB (${mode}): ${JSON.stringify({ small, large }, (k, v: unknown) => (k === "id" ? undefined : typeof v === "number" ? Number(v.toFixed(1)) : v))}`);
    // What the server holds while it exports or serves a file: flat, a few MB, not 10x for 10x the rows.
    for (const phase of ["job", "download"] as const) {
      expect(large[phase].liveMb, `${phase}: live heap`).toBeLessThan(Math.max(3 * small[phase].liveMb, 2) + 8);
      expect(large[phase].liveMb, `${phase}: live heap`).toBeLessThan(16);
    }
    // The process as a whole. With PGlite the database lives in this process and holds the file
    // (and its WAL), so its RSS grows with the file; only Postgres shows the server alone.
    if (mode === "Postgres") {
      for (const phase of ["job", "download"] as const) expect(large[phase].rssMb, `${phase}: RSS`).toBeLessThan(64);
    }

    const res = await fetch(api(`/exports/${large.id}/file`), { headers: { authorization: `Bearer ${token}` } });
    const [header, ...rows] = parse(Buffer.from(await res.arrayBuffer())) as string[][];
    expect(header).toEqual([...EXPORT_COLUMNS]);
    expect(rows).toHaveLength(LARGE);
    const col = (name: (typeof EXPORT_COLUMNS)[number]) => EXPORT_COLUMNS.indexOf(name);
    for (const i of [0, 1, 54_321, LARGE - 1]) {
      const row = rows[i] ?? [];
      expect([row[col("name")], row[col("tags")], row[col("budget")], row[col("owner")]]).toEqual([
        `Mem ${String(i).padStart(6, "0")}`,
        `alpha;tag${i % 10}`,
        `${i}.00`,
        t.users.editor.email,
      ]);
    }
    expect(new Set(rows.map((r) => r[col("id")])).size).toBe(LARGE);
  });
});
