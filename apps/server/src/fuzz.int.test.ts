import { randomUUID } from "node:crypto";
import { appRouter } from "@trellis/api";
import { idempotencyRecords, projectEvents, projects } from "@trellis/db";
import { count } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, newKey } from "../test/http.js";
import {
  contentTypes,
  headerValue,
  hostileKey,
  hostileString,
  hostileValue,
  malformedJson,
  manyKeys,
  mostly,
  objectInput,
  sometimes,
} from "../test/hostile.js";
import { startTestServer, type TestServer } from "./testing.js";

// Bad input, proven: generated hostile requests against every procedure on both surfaces (tRPC
// over HTTP, and every operation of the OpenAPI document). Every answer must be a success or a
// 4xx (validation errors with field paths), never a 5xx; a refused request writes nothing; the
// server keeps answering. Signed in as an editor, with budgets high enough never to interfere.

const RUNS = 150; // per procedure and surface

let t: TestServer;
let token: string;
const seeded = { live: "", archived: "", busy: "", job: "", missing: randomUUID(), owners: [] as string[], listCursors: [] as string[] };

beforeAll(async () => {
  t = await startTestServer();
  // An editor's read+write API token: the fuzzed auth.logout ends sessions, not tokens.
  const session = await t.tokenFor("editor");
  token = (await call(`${t.url}/api/v1/tokens`, { token: session, body: { name: "fuzz", scope: "read+write", expiresInDays: 1 } })).body.token;
  const create = async (name: string) => (await call(`${t.url}/api/v1/projects`, { token, key: newKey(), body: { name } })).body;
  seeded.live = (await create("Fuzz live")).id;
  seeded.archived = (await create("Fuzz archived")).id;
  await call(`${t.url}/api/v1/projects/${seeded.archived}/archive`, { token, body: { expectedVersion: 1 } });
  seeded.busy = (await create("Fuzz busy")).id;
  for (let v = 1; v <= 4; v++) {
    await call(`${t.url}/api/v1/projects/${seeded.busy}`, { method: "PATCH", token, body: { expectedVersion: v, patch: { name: `Fuzz busy ${v}` } } });
  }
  seeded.owners = Object.values(t.users).map((u) => u.id);
  // A job of the editor's (nothing runs it here: it stays queued until the fuzz cancels it).
  seeded.job = (await call(`${t.url}/api/v1/projects/bulk`, { token, key: newKey(), body: { change: { action: "archive" }, selection: { ids: [{ id: seeded.busy, expectedVersion: 5 }] } } })).body.id;
  for (const sort of ["createdAt_desc", "name_asc", "updatedAt_desc"]) {
    const page = await call(`${t.url}/api/v1/projects?limit=1&sort=${sort}`, { token });
    seeded.listCursors.push(page.body.nextCursor);
  }
});
afterAll(() => t?.close());

// ---------------------------------------------------------------------------------------------
// Inputs per procedure: the tRPC input shape, mostly valid field by field, hostile anywhere.

const projectId = () => mostly(fc.constantFrom(seeded.live, seeded.archived, seeded.busy, seeded.missing));
const jobId = () => mostly(fc.constantFrom(seeded.job, seeded.missing));
const version = () => mostly(fc.oneof(fc.integer({ min: 1, max: 6 }), fc.constantFrom(2 ** 31 - 1, 2 ** 31)));
const name = () => mostly(fc.oneof(fc.string({ unit: "grapheme", minLength: 1, maxLength: 60 }), fc.constantFrom(" padded ", "ﷺ", "\u202Eevil")));
const fields = () => ({
  name: name(),
  description: mostly(fc.string({ unit: "grapheme", maxLength: 200 })),
  status: mostly(fc.constantFrom("planning", "active", "on_hold", "completed", "cancelled")),
  ownerId: mostly(fc.constantFrom(...seeded.owners, seeded.missing)),
  tags: mostly(fc.array(fc.oneof(fc.string({ unit: "grapheme", minLength: 1, maxLength: 10 }), hostileString), { maxLength: 22 })),
  budgetCents: mostly(fc.oneof(fc.constant(null), fc.nat(), fc.constant(Number.MAX_SAFE_INTEGER))),
  dueDate: mostly(fc.oneof(fc.constant(null), fc.constantFrom("2026-12-31", "1900-01-01", "9999-12-31", "2024-02-29"))),
});
const cursorish = () =>
  mostly(
    fc.oneof(
      fc.constantFrom(...seeded.listCursors),
      fc.constantFrom(...seeded.listCursors).map((c) => `${c}x`),
      fc.string({ unit: "binary", maxLength: 30 }).map((s) => Buffer.from(s).toString("base64url")),
      fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v) ?? "").toString("base64url")),
      fc.tuple(fc.constantFrom("createdAt_desc", "name_asc", "name_desc"), hostileString, fc.uuid()).map((v) =>
        Buffer.from(JSON.stringify(v)).toString("base64url"),
      ),
      fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
    ),
  );
const voidInput = () =>
  fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: hostileValue }, { weight: 1, arbitrary: manyKeys });

function inputs(): Record<string, fc.Arbitrary<unknown>> {
  return {
    "auth.login": objectInput({
      email: mostly(fc.constantFrom(t.users.viewer.email, "nobody@test.local", "EDITOR@TEST.LOCAL", "a@b")),
      password: mostly(fc.constantFrom("wrong", "", "x".repeat(1025))),
    }),
    "auth.logout": voidInput(),
    "auth.me": voidInput(),
    "project.list": objectInput({
      status: mostly(fc.constantFrom("planning", "active")),
      ownerId: mostly(fc.constantFrom(...seeded.owners)),
      q: mostly(fc.string({ unit: "grapheme", maxLength: 20 })),
      includeArchived: mostly(fc.oneof(fc.boolean(), fc.constantFrom("true", "false"))),
      sort: mostly(fc.constantFrom("createdAt_desc", "createdAt_asc", "updatedAt_desc", "name_asc", "name_desc")),
      limit: mostly(fc.integer({ min: 1, max: 500 })),
      cursor: cursorish(),
      direction: mostly(fc.constantFrom("forward", "backward")),
    }),
    "project.stats": voidInput(),
    "project.byId": objectInput({ id: projectId() }),
    "project.activity": objectInput({
      id: projectId(),
      cursor: mostly(fc.oneof(fc.integer({ min: -5, max: 100 }).map(String), cursorish())),
      limit: mostly(fc.integer({ min: 1, max: 200 })),
      direction: mostly(fc.constantFrom("forward", "backward")),
    }),
    "project.history": objectInput({ id: projectId() }),
    "project.changes": fc.oneof(
      fc.constant(undefined),
      objectInput({ lastEventId: mostly(fc.oneof(fc.constant(null), fc.nat({ max: 50 }).map(String), fc.constant("999999999999999999"))) }),
    ),
    "project.create": objectInput(fields()),
    "project.update": objectInput({ id: projectId(), expectedVersion: version(), patch: mostly(objectInput(fields())) }),
    "project.archive": objectInput({ id: projectId(), expectedVersion: version() }),
    "project.restore": objectInput({ id: projectId(), expectedVersion: version() }),
    "project.revert": objectInput({ id: projectId(), toVersion: version(), expectedVersion: version() }),
    "project.bulk": objectInput({
      change: mostly(
        fc.oneof(
          fc.constant({ action: "archive" }),
          fc.constant({ action: "restore" }),
          objectInput({ action: fc.constant("setStatus"), status: mostly(fc.constantFrom("planning", "active", "done")) }),
        ),
      ),
      selection: mostly(
        fc.oneof(
          objectInput({ ids: mostly(fc.array(objectInput({ id: projectId(), expectedVersion: version() }), { maxLength: 4 })) }),
          objectInput({ filter: mostly(objectInput({ status: mostly(fc.constantFrom("planning", "active")), q: mostly(fc.string({ maxLength: 20 })) })) }),
        ),
      ),
    }),
    "job.list": objectInput({
      scope: mostly(fc.constantFrom("mine", "all")),
      kind: mostly(fc.constantFrom("project.bulk", "maintenance", "")),
      states: mostly(fc.array(fc.constantFrom("queued", "running", "failed", "paused"), { maxLength: 7 })),
      limit: mostly(fc.integer({ min: 0, max: 101 })),
      cursor: cursorish(),
    }),
    "job.byId": objectInput({ id: jobId() }),
    "job.items": objectInput({ id: jobId(), outcome: mostly(fc.constantFrom("applied", "pending", "not_found", "nope")), cursor: cursorish(), limit: mostly(fc.integer({ min: 0, max: 501 })) }),
    "job.events": objectInput({ id: jobId(), cursor: cursorish(), limit: mostly(fc.integer({ min: 0, max: 201 })) }),
    "job.cancel": objectInput({ id: jobId() }),
    "job.retry": objectInput({ id: jobId() }),
    "job.progress": objectInput({ id: jobId(), lastEventId: mostly(fc.oneof(fc.constant(null), fc.constantFrom("1-0-00000000", "99999999999999-5-abcdef01", "1-0"))) }),
    "user.list": voidInput(),
    "auth.changePassword": objectInput({
      currentPassword: mostly(fc.constantFrom("wrong", "", "x".repeat(1025))),
      newPassword: mostly(fc.oneof(fc.string({ unit: "grapheme", maxLength: 40 }), fc.constantFrom("short", "x".repeat(257)))),
    }),
    "token.list": voidInput(),
    "token.create": objectInput({
      name: name(),
      scope: mostly(fc.constantFrom("read", "read+write")),
      expiresInDays: mostly(fc.oneof(fc.integer({ min: -1, max: 400 }), fc.constant(2 ** 53))),
    }),
    "token.revoke": objectInput({ id: mostly(fc.constantFrom(seeded.missing, ...seeded.owners)) }),
    "admin.users.list": objectInput({
      limit: mostly(fc.integer({ min: 1, max: 500 })),
      cursor: cursorish(),
      direction: mostly(fc.constantFrom("forward", "backward")),
    }),
    "admin.users.invite": objectInput({
      email: mostly(fc.constantFrom("fuzz-invite@test.local", t.users.viewer.email, "a@b")),
      name: name(),
      role: mostly(fc.constantFrom("viewer", "editor", "admin")),
    }),
    "admin.users.setRole": objectInput({ id: mostly(fc.constantFrom(...seeded.owners, seeded.missing)), role: mostly(fc.constantFrom("viewer", "editor", "admin")) }),
    "admin.users.deactivate": objectInput({ id: mostly(fc.constantFrom(...seeded.owners, seeded.missing)) }),
    "admin.users.reactivate": objectInput({ id: mostly(fc.constantFrom(...seeded.owners, seeded.missing)) }),
    "admin.users.revokeSessions": objectInput({ id: mostly(fc.constantFrom(...seeded.owners, seeded.missing)) }),
    "import.upload": objectInput({
      filename: mostly(fc.oneof(fc.string({ unit: "grapheme", maxLength: 40 }), hostileString)),
      contentType: mostly(fc.constantFrom("text/csv", "", "application/json")),
      base64: mostly(
        fc.oneof(
          fc.constantFrom(Buffer.from("name,status\nFuzz import,active\n").toString("base64"), "", "@@@"),
          fc.string({ unit: "binary", maxLength: 200 }).map((s) => Buffer.from(`name,description\n${s}`).toString("base64")),
          fc.uint8Array({ maxLength: 100 }).map((b) => Buffer.from(b).toString("base64")),
        ),
      ),
    }),
    "import.byId": objectInput({ id: mostly(fc.constantFrom(seeded.missing, seeded.live)) }),
    "import.dryRun": objectInput({
      uploadId: mostly(fc.constantFrom(seeded.missing, seeded.live)),
      mapping: mostly(fc.dictionary(fc.oneof(fc.constantFrom("name", "status", ""), hostileKey), fc.constantFrom("name", "status", "ignore", "bogus"), { maxKeys: 4 })),
    }),
    "import.run": objectInput({
      uploadId: mostly(fc.constantFrom(seeded.missing, seeded.live)),
      mapping: mostly(fc.dictionary(fc.oneof(fc.constantFrom("name", "status", ""), hostileKey), fc.constantFrom("name", "status", "ignore", "bogus"), { maxKeys: 4 })),
      overwriteChanged: mostly(fc.boolean()),
    }),
    "project.export": objectInput({}),
    "audit.list": objectInput({
      actorId: mostly(fc.constantFrom(...seeded.owners, seeded.missing)),
      action: mostly(fc.constantFrom("login_failed", "token_created", "updated")),
      from: mostly(fc.oneof(fc.date(), fc.constantFrom("2026-01-01T00:00:00Z", "2026-01-01", "yesterday"))),
      to: mostly(fc.oneof(fc.date(), fc.constantFrom("9999-12-31T23:59:59.999Z", "+275760-09-13T00:00:00.000Z"))),
      limit: mostly(fc.integer({ min: 1, max: 500 })),
      cursor: cursorish(),
    }),
  };
}

// ---------------------------------------------------------------------------------------------
// Requests

interface Req {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** encodeURIComponent throws on lone surrogates: send U+FFFD for them, as a UTF-8 client would. */
const encode = (s: string) => encodeURIComponent(s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD"));

/** Path segments a URL parser may choke on, sent as they are. */
const rawSegment = fc.constantFrom("%", "%zz", "%E0%A4%A", "%ED%A0%80", "..", "%2e%2e", "a%2Fb", "%00", "%20", "x".repeat(6_000));

const superjsonMeta = fc.record({
  values: fc.oneof(
    fc
      .array(
        fc.tuple(
          fc.oneof(fc.constantFrom("name", "dueDate", "budgetCents", "tags", "tags.0", "patch", "patch.name", "id", "expectedVersion", "__proto__.x", "constructor.prototype.x", ""), hostileKey),
          fc.constantFrom<unknown>(["Date"], ["bigint"], ["undefined"], ["number"], ["regexp"], ["set"], ["map"], ["Error"], ["symbol"], [["class", "X"]], [["custom", "Y"]], ["nope"], [["typed-array", "Uint8Array"]]),
        ),
        { maxLength: 3 },
      )
      .map((e) => Object.fromEntries(e)),
    hostileValue,
  ),
  referentialEqualities: fc.option(hostileValue, { nil: undefined }),
});

/** Replaced by a new UUID when sent: a fresh key per intent, as clients do. */
const FRESH_KEY = "<fresh key>";
/** Mostly fresh keys; sometimes a hostile one, or a fixed one that later requests reuse. */
const idempotencyKey = fc.oneof(
  { weight: 6, arbitrary: fc.constant(FRESH_KEY) },
  { weight: 1, arbitrary: headerValue },
  { weight: 1, arbitrary: fc.constantFrom("fuzz-reused-key-1", "fuzz-reused-key-2") },
);

function trpcRequest(path: string, type: string, input: fc.Arbitrary<unknown>): fc.Arbitrary<Req> {
  const payload = fc.oneof(
    { weight: 6, arbitrary: input.map((v) => JSON.stringify({ json: v })) },
    { weight: 1, arbitrary: fc.tuple(input, superjsonMeta).map(([v, meta]) => JSON.stringify({ json: v, meta })) },
    { weight: 1, arbitrary: input.map((v) => JSON.stringify(v) ?? "") },
    { weight: 1, arbitrary: malformedJson },
  );
  return fc
    .record({
      payload,
      batch: fc.boolean(),
      wrongMethod: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
      rawQuery: sometimes(fc.constantFrom("%E0%A4%A", "%", "%7B%22json%22", "&input=1"), 10),
      contentType: sometimes(fc.constantFrom(...contentTypes), 15),
      key: sometimes(idempotencyKey, 50),
    })
    .map(({ payload, batch, wrongMethod, rawQuery, contentType, key }) => {
      const post = (type === "mutation") !== wrongMethod;
      const body = batch ? `{"0":${payload}}` : payload;
      const query = [batch ? "batch=1" : "", post ? "" : `input=${rawQuery ?? encode(body)}`].filter(Boolean).join("&");
      return {
        method: post ? "POST" : "GET",
        path: `/trpc/${path}${query ? `?${query}` : ""}`,
        headers: {
          authorization: `Bearer ${token}`,
          ...(post ? { "content-type": contentType ?? "application/json" } : {}),
          ...(key !== null && type === "mutation" ? { "idempotency-key": key } : {}),
        },
        body: post ? body : undefined,
      };
    });
}

interface Operation {
  method: string;
  path: string;
  procedure: string;
  parameters: Array<{ in: string; name: string }>;
  hasBody: boolean;
}

/** A query string from an input object, the way a client might spell each value. */
function toQuery(input: unknown): string {
  // String() throws on objects with a hostile `toString` key: spell objects as JSON.
  const spell = (v: unknown) => encode(typeof v === "object" && v !== null ? JSON.stringify(v) : String(v));
  if (input === null || typeof input !== "object" || Array.isArray(input)) return `value=${spell(input)}`;
  const parts: string[] = [];
  for (const [k, v] of Object.entries(input)) {
    for (const one of Array.isArray(v) ? v : [v]) parts.push(`${encode(k)}=${spell(one)}`);
  }
  return parts.join("&");
}

function restRequest(op: Operation, input: fc.Arbitrary<unknown>): fc.Arbitrary<Req> {
  const id = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(seeded.live, seeded.archived, seeded.busy, seeded.missing) },
    { weight: 1, arbitrary: hostileString.map(encode) },
    { weight: 1, arbitrary: rawSegment },
  );
  return fc
    .record({
      id,
      input,
      body: fc.oneof({ weight: 6, arbitrary: fc.constant("input") }, { weight: 1, arbitrary: malformedJson }, { weight: 1, arbitrary: fc.constant("none") }),
      rawQuery: sometimes(fc.constantFrom("%E0%A4%A", "%", "limit=1&limit=2", "cursor[]=1", "q=%00"), 10),
      contentType: sometimes(fc.constantFrom(...contentTypes), 15),
      key: sometimes(idempotencyKey, 75),
      ifMatch: sometimes(fc.oneof(fc.constantFrom('"1"', '"2"', '"5"', "*", 'W/"1"', '"9999999999"', '"0"', '"1", "2"', '""'), headerValue), 50),
      ifNoneMatch: sometimes(fc.oneof(fc.constantFrom('"1"', "*", 'W/"5"'), headerValue), 15),
    })
    .map(({ id: segment, input: value, body, rawQuery, contentType, key, ifMatch, ifNoneMatch }) => {
      const path = op.path.replace("{id}", segment);
      const usesBody = op.method !== "GET";
      const query = usesBody ? rawQuery ?? "" : [toQuery(value), rawQuery].filter(Boolean).join("&");
      const text = body === "input" ? (JSON.stringify(value) ?? "") : body === "none" ? undefined : body;
      return {
        method: op.method,
        path: `/api/v1${path}${query ? `?${query}` : ""}`,
        headers: {
          authorization: `Bearer ${token}`,
          ...(usesBody && text !== undefined ? { "content-type": contentType ?? "application/json" } : {}),
          ...(key !== null ? { "idempotency-key": key } : {}),
          ...(ifMatch !== null ? { "if-match": ifMatch } : {}),
          ...(ifNoneMatch !== null ? { "if-none-match": ifNoneMatch } : {}),
        },
        body: usesBody ? text : undefined,
      };
    });
}

// ---------------------------------------------------------------------------------------------
// Checking one answer

interface Answer {
  status: number;
  text: string;
}

async function send(req: Req): Promise<Answer> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 15_000);
  try {
    const res = await fetch(`${t.url}${req.path}`, { method: req.method, headers: req.headers, body: req.body, signal: controller.signal });
    if (res.headers.get("content-type")?.includes("text/event-stream")) {
      // A live stream: read past the "connected" event to the first message or error, then leave.
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      let text = "";
      while (!/\n\n[\s\S]*\n\n/.test(text.slice(text.indexOf("connected")))) {
        const { value, done } = await reader.read();
        if (done) break;
        text += value;
      }
      controller.abort();
      return { status: res.status, text };
    }
    return { status: res.status, text: await res.text() };
  } finally {
    clearTimeout(timer);
  }
}

interface ErrorData {
  httpStatus?: number;
  reason?: string;
  fieldErrors?: Record<string, string[]>;
  formErrors?: string[];
}

/** The error data in any answer: REST `{data}`, tRPC `{error: {json: {data}}}`, batches, SSE events. */
function errorDataOf(text: string): ErrorData[] {
  const docs: unknown[] = [];
  try {
    docs.push(JSON.parse(text));
  } catch {
    for (const line of text.split("\n")) if (line.startsWith("data: ")) docs.push(JSON.parse(line.slice(6)));
  }
  const found: ErrorData[] = [];
  const visit = (doc: unknown) => {
    if (Array.isArray(doc)) return doc.forEach(visit);
    if (doc === null || typeof doc !== "object") return;
    const d = doc as { error?: { json?: { data?: ErrorData } }; json?: { data?: ErrorData }; data?: ErrorData; code?: unknown };
    if (d.error?.json?.data) found.push(d.error.json.data);
    else if (d.json?.data?.httpStatus) found.push(d.json.data);
    else if (d.code !== undefined && d.data && typeof d.data === "object") found.push(d.data);
  };
  docs.forEach(visit);
  return found;
}

// Refusals that must never leave a stored idempotency record.
const neverStored = new Set([
  "VALIDATION_FAILED",
  "INPUT_TOO_LARGE",
  "RATE_LIMITED",
  "LOGIN_THROTTLED",
  "SIGNED_OUT",
  "INSUFFICIENT_ROLE",
  "CSRF_REJECTED",
  "IDEMPOTENCY_KEY_INVALID",
  "IDEMPOTENCY_KEY_REQUIRED",
  "IDEMPOTENCY_KEY_IN_BATCH",
  "IDEMPOTENCY_KEY_REUSED",
  "IDEMPOTENCY_IN_PROGRESS",
]);

async function rowCounts() {
  const [[p], [e], [i]] = await Promise.all([
    t.db.db.select({ n: count() }).from(projects),
    t.db.db.select({ n: count() }).from(projectEvents),
    t.db.db.select({ n: count() }).from(idempotencyRecords),
  ]);
  return { projects: Number(p!.n), events: Number(e!.n), idempotency: Number(i!.n) };
}

/**
 * No error answer is longer than this, whatever the input: a validation error names at most 50
 * problems, cut to length (regression/unknown-keys-exhaust-heap); the largest the input limits
 * allow is ~12 KB. (A conflict's `current` record is the server's, bounded by its schema; the
 * records here have short texts.)
 */
const MAX_ERROR_BODY = 16 * 1024;

const seen = { requests: 0, byStatus: new Map<number, number>(), largestError: 0, tooLarge: 0, capped: 0 };
/** Row counts after the previous request: requests run one at a time, so they are the next one's "before". */
let lastCounts: Awaited<ReturnType<typeof rowCounts>> | undefined;

/** Sends one generated request and checks everything the answer must satisfy. */
async function exercise(generated: Req) {
  const req = { ...generated, headers: { ...generated.headers } };
  if (req.headers["idempotency-key"] === FRESH_KEY) req.headers["idempotency-key"] = randomUUID();
  const before = lastCounts ?? (await rowCounts());
  lastCounts = undefined; // recounted below, unless this request throws first
  const res = await send(req);
  const after = await rowCounts();
  lastCounts = after;
  seen.requests++;
  seen.byStatus.set(res.status, (seen.byStatus.get(res.status) ?? 0) + 1);
  const where = () =>
    `${req.method} ${req.path.slice(0, 300)}\nheaders: ${JSON.stringify(req.headers).slice(0, 300)}\nbody: ${(req.body ?? "").slice(0, 300)}\n→ ${res.status} ${res.text.slice(0, 500)}`;

  const ok = (res.status >= 200 && res.status < 300) || res.status === 304 || (res.status >= 400 && res.status < 500);
  if (!ok) throw new Error(`answered ${res.status}:\n${where()}`);
  const errors = res.status === 304 || res.text === "" ? [] : errorDataOf(res.text);
  if (res.status >= 400 || errors.length > 0) {
    seen.largestError = Math.max(seen.largestError, res.text.length);
    if (res.text.length > MAX_ERROR_BODY) throw new Error(`an error answer of ${res.text.length} characters:\n${where()}`);
  }
  for (const data of errors) {
    if ((data.httpStatus ?? 0) >= 500) throw new Error(`an error inside the answer is a ${data.httpStatus}:\n${where()}`);
    if (data.reason === "VALIDATION_FAILED") {
      const paths = Object.keys(data.fieldErrors ?? {}).length + (data.formErrors?.length ?? 0);
      if (paths === 0) throw new Error(`a validation error without field paths:\n${where()}`);
    }
    if (data.reason === "INPUT_TOO_LARGE") {
      if (!data.formErrors?.length) throw new Error(`INPUT_TOO_LARGE without saying why:\n${where()}`);
      seen.tooLarge++;
    }
    if (data.formErrors?.some((m) => /^and [\d,]+ more problems?$/.test(m))) seen.capped++;
  }
  if (res.status >= 400) {
    if (after.projects !== before.projects || after.events !== before.events) {
      throw new Error(`a refused request changed rows: ${JSON.stringify({ before, after })}\n${where()}`);
    }
    const storable = req.headers["idempotency-key"] !== undefined && errors.some((e) => e.reason && !neverStored.has(e.reason));
    if (after.idempotency !== before.idempotency && !(storable && after.idempotency === before.idempotency + 1)) {
      throw new Error(`a refused request left an idempotency record: ${JSON.stringify({ before, after })}\n${where()}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------

const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>).map(
  ([path, p]) => ({ path, type: p._def.type }),
);
const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort();

describe("hostile input", () => {
  it("has generators for every procedure", () => {
    expect(Object.keys(inputs()).sort()).toEqual(procedures.map((p) => p.path).sort());
  });

  describe("over tRPC", () => {
    it.each(procedures)("$path never answers 5xx, and refusals write nothing", async ({ path, type }) => {
      const input = inputs()[path]!;
      await fc.assert(fc.asyncProperty(trpcRequest(path, type, input), exercise), { numRuns: RUNS });
    });
  });

  describe("over REST", () => {
    let operations: Operation[] = [];
    beforeAll(async () => {
      const doc = (await call(`${t.url}/api/v1/openapi.json`)).body as {
        paths: Record<string, Record<string, { operationId: string; parameters?: Operation["parameters"]; requestBody?: unknown }>>;
      };
      operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
        Object.entries(ops).map(([method, op]) => ({
          method: method.toUpperCase(),
          path,
          // trpc-to-openapi names operations after the procedure: project-update → project.update, admin-users-list → admin.users.list
          procedure: op.operationId.replaceAll("-", "."),
          parameters: op.parameters ?? [],
          hasBody: op.requestBody !== undefined,
        })),
      );
    });

    it("covers every operation of the OpenAPI document with a procedure's generator", () => {
      expect(operations.length).toBeGreaterThanOrEqual(14);
      for (const op of operations) expect(inputs()).toHaveProperty([op.procedure]);
    });

    it("never answers 5xx for any operation, and refusals write nothing", async () => {
      for (const op of operations) {
        await fc.assert(fc.asyncProperty(restRequest(op, inputs()[op.procedure]!), exercise), { numRuns: RUNS });
      }
      // Every operation in one test (RUNS each): ~1 s per operation, so the budget grows with them.
    }, 180_000);
  });

  it("leaves the server answering and Object.prototype untouched", async () => {
    expect((await fetch(`${t.url}/health`)).status).toBe(200);
    expect((await call(`${t.url}/api/v1/projects/${seeded.live}`, { token })).status).toBe(200);
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeBefore);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // Hundreds of requests ran, across success and refusal.
    expect(seen.requests).toBeGreaterThanOrEqual(RUNS * 29);
    expect([...seen.byStatus.keys()].some((s) => s < 300)).toBe(true);
    expect([...seen.byStatus.keys()].some((s) => s >= 400)).toBe(true);
    // The wide and many-problem inputs reached both bounds: refused before validation, and capped.
    expect(seen.tooLarge).toBeGreaterThan(0);
    expect(seen.capped).toBeGreaterThan(0);
    console.info(
      `fuzz: ${seen.requests} requests, by status ${JSON.stringify(Object.fromEntries([...seen.byStatus].sort((a, b) => a[0] - b[0])))}, largest error answer ${seen.largestError} characters, ${seen.tooLarge} INPUT_TOO_LARGE, ${seen.capped} capped validation errors`,
    );
  });
});
