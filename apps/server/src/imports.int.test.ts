import { readFileSync } from "node:fs";
import { projectEvents, projects } from "@trellis/db";
import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, newKey } from "../test/http.js";
import { startTestServer, type TestServer } from "./testing.js";

// CSV import over HTTP, on a real server that runs jobs in-process: POST /imports (raw text/csv),
// the dry run and apply as jobs (202 + Location), the report at GET /jobs/{id}/items. Proof 4 of
// issue 11: every hostile fixture (packages/api/test/fixtures/csv) gets its expected report, no
// answer is a 5xx, and no row reported as an error writes anything.

let t: TestServer;
const token = { viewer: "", editor: "", admin: "" };
const api = (path: string) => `${t.url}/api/v1${path}`;
const fixture = (name: string) => readFileSync(new URL(`../../../packages/api/test/fixtures/csv/${name}`, import.meta.url));

beforeAll(async () => {
  t = await startTestServer({ jobs: true });
  for (const role of ["viewer", "editor", "admin"] as const) token[role] = await t.tokenFor(role);
});
afterAll(() => t?.close());

async function uploadCsv(body: Buffer | string, opts: { token?: string; filename?: string; contentType?: string } = {}) {
  const res = await fetch(api(`/imports?filename=${encodeURIComponent(opts.filename ?? "file.csv")}`), {
    method: "POST",
    headers: { "content-type": opts.contentType ?? "text/csv", ...(opts.token !== "" && { authorization: `Bearer ${opts.token ?? token.editor}` }) },
    body,
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

type Outcome = "created" | "updated" | "unchanged" | "conflict" | "error";
interface Item {
  itemId: string;
  outcome: Outcome;
  detail: { line: number; projectId?: string; fieldErrors?: Record<string, string[]>; formErrors?: string[] };
}

/** Starts a dry run or apply over REST, waits for the job, and returns it with its whole report. */
async function runJob(uploadId: string, step: "dry-run" | "apply", body: object = {}) {
  const started = await call(api(`/imports/${uploadId}/${step}`), { token: token.editor, key: newKey(), body });
  expect(started.status).toBe(202);
  const location = started.headers.get("location");
  expect(location).toBe(`/api/v1/jobs/${started.body.id}`);
  let job = started.body;
  for (let i = 0; i < 600 && !["succeeded", "failed", "cancelled"].includes(job.state); i++) {
    await new Promise((r) => setTimeout(r, 50));
    job = (await call(`${t.url}${location}`, { token: token.editor })).body;
  }
  const items = await call(api(`/jobs/${job.id}/items?limit=500`), { token: token.editor });
  expect(items.status).toBe(200);
  return { job, items: items.body.items as Item[] };
}

/** Each fixture, with the report it must get: an upload refused (400) with its reason, or each line's outcome. */
const cases: {
  file: string;
  refused?: RegExp;
  summary?: Record<string, unknown>;
  /** line -> outcome (a dry run and an apply both), and for errors the columns they name. */
  lines?: Record<number, Outcome | [Outcome, string[]]>;
  check?: (byName: Map<string, typeof projects.$inferSelect>) => void;
}[] = [
  { file: "empty.csv", refused: /The file is empty/ },
  { file: "blank-lines-only.csv", refused: /The file is empty/ },
  { file: "header-only.csv", refused: /header row but no data rows/ },
  { file: "duplicate-headers.csv", refused: /"status" appears twice \(columns 2 and 3\)/ },
  { file: "latin1.csv", refused: /not UTF-8/ },
  { file: "unclosed-quote.csv", refused: /cannot be read as CSV near line \d+: Quote Not Closed/ },
  {
    file: "semicolon-european.csv",
    summary: { delimiter: ";", rowCount: 3 },
    lines: { 2: "created", 3: "created", 4: "created" },
    check: (p) => {
      expect(p.get("Semi one")).toMatchObject({ budgetCents: 123_450, dueDate: "2026-12-31", status: "active" });
      expect(p.get("Semi two")).toMatchObject({ budgetCents: 9_950, dueDate: "2027-02-01", status: "on_hold" });
      expect(p.get("Semi three")).toMatchObject({ budgetCents: 1_200, dueDate: "2026-06-30" });
    },
  },
  { file: "tab-delimited.csv", summary: { delimiter: "\t" }, lines: { 2: "created", 3: "created" }, check: (p) => expect(p.get("Tab one")?.tags).toEqual(["x", "y"]) },
  { file: "bom-utf8.csv", summary: { encoding: "utf-8", headers: ["name", "status"], unknownColumns: [] }, lines: { 2: "created", 3: "created" } },
  {
    file: "utf16le.csv",
    summary: { encoding: "utf-16le", rowCount: 2 },
    lines: { 2: "created", 3: "created" },
    check: (p) => expect(p.get("UTF-16 LE 日本")?.description).toBe("東京"),
  },
  { file: "utf16be.csv", summary: { encoding: "utf-16be" }, lines: { 2: "created" }, check: (p) => expect(p.get("UTF-16 BE Grüße")?.description).toBe("Straße") },
  {
    file: "quoted-newlines.csv",
    lines: { 2: "created", 7: "created" },
    check: (p) => {
      expect(p.get("Quoted\nname one")?.description).toBe("line 1\nline 2\n\nline 4");
      expect(p.get("Quoted, two")?.description).toBe('He said "hi"');
    },
  },
  { file: "ragged.csv", lines: { 2: "created", 3: ["error", []], 4: ["error", []], 5: "created" } },
  {
    file: "long-cells.csv",
    lines: { 2: "created", 3: ["error", ["description"]], 4: ["error", ["name"]] },
    check: (p) => expect(p.get("Long fine")?.description.length).toBe(10_000),
  },
  {
    file: "formulas.csv",
    lines: { 2: "created", 3: "created", 4: "created", 5: ["error", ["budget"]] },
    check: (p) => {
      // Stored as text, never evaluated; the export's neutralising apostrophe is removed.
      expect(p.get("=1+2")?.description).toBe('=HYPERLINK("http://evil.example")');
      expect(p.get("+SUM(A1:A9)")?.description).toBe("@cmd");
      expect(p.get("-2 minus")?.description).toBe("=already neutralised");
    },
  },
  {
    file: "dates-budgets.csv",
    lines: {
      2: "created",
      3: "created",
      4: "created",
      5: ["error", ["due date"]],
      6: ["error", ["due date"]],
      7: ["error", ["budget"]],
      8: ["error", ["budget"]],
      9: ["error", ["budget"]],
      10: ["error", ["budget"]],
      11: "created",
    },
    check: (p) => {
      expect(p.get("DB iso")).toMatchObject({ dueDate: "2026-12-31", budgetCents: 123_450 });
      expect(p.get("DB dots")).toMatchObject({ dueDate: "2026-12-31", budgetCents: 123_450 });
      expect(p.get("DB slashes iso")).toMatchObject({ dueDate: "2026-12-31", budgetCents: 123_450 });
      expect(p.get("DB euro grouping")?.budgetCents).toBe(123_456_789);
    },
  },
  {
    file: "owners.csv",
    lines: { 2: "created", 3: ["error", ["owner"]], 4: "created" },
    check: (p) => {
      expect(p.get("Owner known")?.ownerId).toBe(t.users.editor.id);
      // No owner given: the user who runs the import.
      expect(p.get("Owner empty")?.ownerId).toBe(t.users.editor.id);
    },
  },
  {
    file: "unknown-columns.csv",
    summary: { unknownColumns: ["Colour", "Priority"], suggestedMapping: { Title: "name", Colour: "ignore", Priority: "ignore", "owner email": "owner" } },
    lines: { 2: "created", 3: "created" },
  },
  { file: "duplicate-external-id.csv", lines: { 2: "created", 3: "created", 4: ["error", []], 5: "created" } },
  { file: "invalid-values.csv", lines: { 2: ["error", ["name"]], 3: ["error", ["status"]], 4: ["error", ["tags"]], 5: ["error", ["id"]] } },
];

describe("POST /api/v1/imports", () => {
  it("answers 201 with what it found, and GET /imports/{id} shows it again; viewers and strangers are refused", async () => {
    const up = await uploadCsv("Title,due,Budget,Colour\nA,2026-01-01,5,red\n", { filename: "mine.csv" });
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({
      filename: "mine.csv",
      sizeBytes: 43,
      encoding: "utf-8",
      delimiter: ",",
      headers: ["Title", "due", "Budget", "Colour"],
      suggestedMapping: { Title: "name", due: "dueDate", Budget: "budget", Colour: "ignore" },
      unknownColumns: ["Colour"],
      rowCount: 1,
    });
    expect(up.headers.get("location")).toBe(`/api/v1/imports/${up.body.id}`);
    const again = await call(api(`/imports/${up.body.id}`), { token: token.editor });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: up.body.id, rowCount: 1 });
    expect((await call(api(`/imports/${up.body.id}`), { token: token.viewer })).status).toBe(400);

    expect((await uploadCsv("name\nx\n", { token: token.viewer })).status).toBe(403);
    expect((await uploadCsv("name\nx\n", { token: "" })).status).toBe(401);
    expect((await uploadCsv('{"name":"x"}', { contentType: "application/json" })).status).toBe(415);
    const tooBig = await uploadCsv(Buffer.alloc(20 * 1024 * 1024 + 1, 0x61));
    expect(tooBig.status).toBe(413);
  });

  it("a mapping the user fixes is used; a mapping naming a missing column is a 400", async () => {
    const up = await uploadCsv("Project,Kind\nMapped by hand,active\n");
    const bad = await call(api(`/imports/${up.body.id}/dry-run`), { token: token.editor, key: newKey(), body: { mapping: { Nope: "name" } } });
    expect(bad.status).toBe(400);
    expect(bad.body.data).toMatchObject({ reason: "VALIDATION_FAILED", fieldErrors: { "mapping.Nope": [expect.stringMatching(/does not have: "Nope"/)] } });
    const { job } = await runJob(up.body.id, "apply", { mapping: { Kind: "status" } });
    expect(job.result).toEqual({ total: 1, created: 1, updated: 0, unchanged: 0, conflict: 0, error: 0 });
    const [p] = await t.db.db.select().from(projects).where(eq(projects.name, "Mapped by hand"));
    expect(p?.status).toBe("active");
    const viewer = await call(api(`/imports/${up.body.id}/apply`), { token: token.viewer, key: newKey(), body: {} });
    expect(viewer.status).toBe(403);
  });
});

describe("hostile files (proof 4)", () => {
  it.each(cases)("$file", async ({ file, refused, summary, lines, check }) => {
    const up = await uploadCsv(fixture(file), { filename: file });
    expect(up.status).toBeLessThan(500);
    if (refused) {
      expect(up.status).toBe(400);
      expect(up.body.data.reason).toBe("VALIDATION_FAILED");
      expect(up.body.data.formErrors).toEqual([expect.stringMatching(refused)]);
      return;
    }
    expect(up.status).toBe(201);
    if (summary) expect(up.body).toMatchObject(summary);
    const expected = Object.entries(lines ?? {}).map(([line, e]) => ({ line: Number(line), outcome: Array.isArray(e) ? e[0] : e, columns: Array.isArray(e) ? e[1] : undefined }));

    for (const step of ["dry-run", "apply"] as const) {
      const { job, items } = await runJob(up.body.id, step);
      expect(job.state).toBe("succeeded");
      expect(items.map((i) => [Number(i.itemId), i.outcome])).toEqual(expected.map((e) => [e.line, e.outcome]));
      for (const e of expected.filter((x) => x.columns)) {
        const item = items.find((i) => Number(i.itemId) === e.line);
        expect(item?.detail.line).toBe(e.line);
        if (e.columns?.length === 0) expect(item?.detail.formErrors?.length).toBeGreaterThan(0);
        else expect(Object.keys(item?.detail.fieldErrors ?? {})).toEqual(e.columns);
        expect(item?.detail.projectId).toBeUndefined();
      }
      // What the job wrote: exactly its created rows, one audit event each; nothing for an error row.
      const events = await t.db.db.select({ projectId: projectEvents.projectId }).from(projectEvents).where(eq(projectEvents.jobId, job.id));
      const created = items.filter((i) => i.outcome === "created").map((i) => i.detail.projectId);
      if (step === "dry-run") {
        expect(events).toEqual([]);
        expect(created.every((id) => id === undefined)).toBe(true);
      } else {
        expect(events.map((e) => e.projectId).sort()).toEqual([...created].sort());
        const rows = created.length === 0 ? [] : await t.db.db.select().from(projects).where(inArray(projects.id, created as string[]));
        expect(rows.length).toBe(created.length);
        check?.(new Map(rows.map((r) => [r.name, r])));
      }
    }
    // Re-running the file changes nothing.
    const { job } = await runJob(up.body.id, "apply");
    expect(job.result).toMatchObject({ created: 0, updated: 0 });
  });
});
