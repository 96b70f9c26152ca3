import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newKey } from "../../test/http.js";
import { startTestServer, type TestServer } from "../testing.js";

// A JSON object of N unknown keys was answered with a validation error that grew with N²: zod
// names every unknown key in one message, and the error formatter copied it once per key. 2,000
// keys (18.9 KB) made a 41.9 MB 400; 30,000 keys (311 KB, under the 1 MiB body limit) blocked the
// event loop ~50 s and then killed the process (heap limit inside JSON.stringify). On both
// surfaces. Inputs wider than any schema are now refused before validation (INPUT_TOO_LARGE), and
// every validation error is bounded: a fixed message, at most 50 problems named, long names cut.

/** Far above anything a bounded error needs, far below what the bug produced. */
const MAX_ERROR_BODY = 16 * 1024;
/** Generous: the answers take milliseconds. */
const MAX_MS = 2_000;

let t: TestServer;
let token: string;
beforeAll(async () => {
  t = await startTestServer();
  token = await t.tokenFor("editor");
});
afterAll(() => t?.close());

const manyKeys = (n: number, name = (i: number) => `k${i}`) => Object.fromEntries(Array.from({ length: n }, (_, i) => [name(i), i]));

type Surface = "rest" | "trpc";
const routes = {
  "auth.login": { rest: "/api/v1/auth/login", signedIn: false },
  "project.create": { rest: "/api/v1/projects", signedIn: true },
} as const;

interface Answer {
  status: number;
  bytes: number;
  ms: number;
  error: any;
}

/** One call as a client sends it: REST JSON, or tRPC's `{json}` envelope (superjson of plain data). */
async function send(surface: Surface, procedure: keyof typeof routes, input: unknown): Promise<Answer> {
  const route = routes[procedure];
  const url = surface === "rest" ? `${t.url}${route.rest}` : `${t.url}/trpc/${procedure}`;
  const body = JSON.stringify(surface === "rest" ? input : { json: input });
  const started = performance.now();
  const res = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "idempotency-key": newKey(),
      ...(route.signedIn ? { authorization: `Bearer ${token}` } : {}),
    },
    body,
  });
  const text = await res.text();
  const ms = performance.now() - started;
  const json = JSON.parse(text);
  return { status: res.status, bytes: Buffer.byteLength(text), ms, error: surface === "rest" ? json : json.error.json };
}

const sizes: string[] = [];
function expectBounded(what: string, a: Answer) {
  sizes.push(`${what}: ${a.status}, ${a.bytes} B in ${a.ms.toFixed(0)} ms`);
  expect(a.status).toBe(400);
  expect(a.bytes).toBeLessThanOrEqual(MAX_ERROR_BODY);
  expect(a.ms).toBeLessThan(MAX_MS);
  expect(a.error.message.length).toBeLessThan(200);
}

const surfaces: Surface[] = ["rest", "trpc"];

describe("30,000 unknown keys", () => {
  it.each(surfaces)("on login and project.create over %s: a small 400 INPUT_TOO_LARGE, at once", async (surface) => {
    for (const [procedure, input] of [
      ["auth.login", { email: "someone@example.com", password: "x", ...manyKeys(30_000) }],
      ["project.create", { name: "x", ...manyKeys(30_000) }],
    ] as const) {
      const a = await send(surface, procedure, input);
      expectBounded(`${surface} ${procedure}, 30,000 unknown keys`, a);
      expect(a.error.data.reason).toBe("INPUT_TOO_LARGE");
      expect(a.error.data.formErrors).toEqual([expect.stringMatching(/more than 256 keys/)]);
    }
    expect((await fetch(`${t.url}/health`)).status).toBe(200);
  });
});

describe("many problems", () => {
  it.each(surfaces)("30,000 bad tags over %s: a small 400 INPUT_TOO_LARGE", async (surface) => {
    const a = await send(surface, "project.create", { name: "x", tags: Array(30_000).fill("") });
    expectBounded(`${surface} project.create, 30,000 bad tags`, a);
    expect(a.error.data.reason).toBe("INPUT_TOO_LARGE");
  });

  it.each(surfaces)("the widest error the limits let through, over %s: 50 problems named, long names cut", async (surface) => {
    // Two objects of 255 unknown keys of ~1.8 KB each: a 0.9 MB body, just under both limits.
    const long = (prefix: string) => (i: number) => `${prefix}${i}`.padEnd(1_800, "k");
    const id = "00000000-0000-4000-8000-000000000000";
    const input = { id, expectedVersion: 1, patch: manyKeys(255, long("p")), ...manyKeys(253, long("t")) };
    const rest = surface === "rest";
    const path = rest ? `${t.url}/api/v1/projects/${id}` : `${t.url}/trpc/project.update`;
    const started = performance.now();
    const res = await fetch(path, {
      method: rest ? "PATCH" : "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}`, "idempotency-key": newKey() },
      body: JSON.stringify(rest ? input : { json: input }),
    });
    const text = await res.text();
    const a: Answer = { status: res.status, bytes: Buffer.byteLength(text), ms: performance.now() - started, error: rest ? JSON.parse(text) : JSON.parse(text).error.json };
    expectBounded(`${surface} project.update, 508 unknown keys of 1.8 KB`, a);
    const { data } = a.error;
    expect(data.reason).toBe("VALIDATION_FAILED");
    expect(a.error.message).toBe("Input validation failed");
    const paths = Object.keys(data.fieldErrors);
    expect(paths.length + data.formErrors.length).toBe(51);
    expect(data.formErrors).toContain("and 458 more problems");
    for (const p of paths) expect(p.length).toBeLessThanOrEqual(100);
    expect(paths.every((p) => p.endsWith("…"))).toBe(true);
    if (rest) expect(a.error.issues.length).toBeLessThanOrEqual(51);
  });

  it("leaves the server answering", async () => {
    expect((await fetch(`${t.url}/health`)).status).toBe(200);
    const ok = await send("rest", "project.create", { name: "After the flood" });
    expect(ok.status).toBeLessThan(300);
    console.info(`unknown keys, error sizes:\n  ${sizes.join("\n  ")}`);
  });
});

describe("many calls in one tRPC batch", () => {
  it("are refused past the batch limit with a small 400, not answered one error each", async () => {
    const paths = Array(200).fill("auth.me").join(",");
    const input = encodeURIComponent(JSON.stringify(Object.fromEntries(Array.from({ length: 200 }, (_, i) => [i, {}]))));
    const started = performance.now();
    const res = await fetch(`${t.url}/trpc/${paths}?batch=1&input=${input}`, { headers: { authorization: `Bearer ${token}` } });
    const text = await res.text();
    sizes.push(`trpc batch of 200 calls: ${res.status}, ${Buffer.byteLength(text)} B in ${(performance.now() - started).toFixed(0)} ms`);
    expect(res.status).toBe(400);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX_ERROR_BODY);
    expect(text).toMatch(/batch/i);
    // Within the limit, a batch is answered call by call as before.
    const ok = await fetch(`${t.url}/trpc/auth.me,auth.me?batch=1&input=${encodeURIComponent(JSON.stringify({ 0: {}, 1: {} }))}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect({ status: ok.status, body: ok.status === 200 ? "" : await ok.clone().text() }).toEqual({ status: 200, body: "" });
    expect(((await ok.json()) as unknown[]).length).toBe(2);
  });
});
