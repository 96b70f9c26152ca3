import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newKey } from "../../test/http.js";
import { startTestServer, type TestServer } from "../testing.js";

// superjson turns a `typed-array` annotation into `new Uint8Array(<the JSON value>)`: on a number,
// a 70-byte tRPC body asked for a 2 GiB buffer (found by the fuzz suite on project.restore, seed
// 1193488458: a 500, and a process one request away from running out of memory). No procedure
// takes a typed array, a regexp, an error or a class, so the transformer refuses every annotation
// but the ones our payloads use, before superjson acts on any: a 400, nothing allocated.

let t: TestServer;
let token: string;
beforeAll(async () => {
  t = await startTestServer();
  token = await t.tokenFor("editor");
});
afterAll(() => t?.close());

const post = (path: string, body: unknown) =>
  fetch(`${t.url}/trpc/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}`, "idempotency-key": newKey() },
    body: JSON.stringify(body),
  });

describe("type annotations no procedure needs", () => {
  it.each([
    ["a 2 GiB typed array", { json: { id: 2147483648 }, meta: { values: { id: [["typed-array", "Uint8Array"]] }, v: 1 } }],
    ["a typed array at the root", { json: 2147483648, meta: { values: [["typed-array", "Float64Array"]], v: 1 } }],
    ["a regexp", { json: { name: "(a+)+$" }, meta: { values: { name: ["regexp"] }, v: 1 } }],
    ["an unregistered class", { json: { name: "x" }, meta: { values: [["class", "Project"]], v: 1 } }],
  ])("%s: 400 before anything is allocated", async (_what, body) => {
    const heapBefore = process.memoryUsage().arrayBuffers;
    const res = await post("project.restore", body);
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text.length).toBeLessThan(2_000);
    expect(JSON.parse(text).error.json.data.httpStatus).toBe(400);
    // Nothing near the asked-for size was allocated (the server runs in this process).
    expect(process.memoryUsage().arrayBuffers - heapBefore).toBeLessThan(64 * 1024 * 1024);
  });

  it("Dates, undefined and special numbers still arrive (what the client sends)", async () => {
    const input = { json: { q: "nothing-matches-this", cursor: null }, meta: { values: { cursor: ["undefined"] }, v: 1 } };
    const res = await fetch(`${t.url}/trpc/project.list?input=${encodeURIComponent(JSON.stringify(input))}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { result: { data: { json: { items: unknown[] } } } };
    expect(body.result.data.json.items).toEqual([]);
  });
});
