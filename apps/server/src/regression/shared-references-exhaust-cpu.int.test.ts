import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newKey } from "../../test/http.js";
import { startTestServer, type TestServer } from "../testing.js";

// superjson's `referentialEqualities` let a tRPC body say "this value is that one": a 1.5 KB body
// can make each of 22 nested levels hold one object in two fields, a tree of 4 million values to
// anything that walks it. The idempotency fingerprint walked it before validation: 5.7 s of
// blocked event loop, doubling with every level (40 levels: days). Found while bounding unknown
// keys (regression/unknown-keys-exhaust-heap). The input-bounds middleware counts every value as
// it is reached, so such input is a 400 INPUT_TOO_LARGE after at most 10,000 steps.

let t: TestServer;
let token: string;
beforeAll(async () => {
  t = await startTestServer();
  token = await t.tokenFor("editor");
});
afterAll(() => t?.close());

/** A superjson body whose `levels` nested objects each hold one object in both `x` and `y`. */
function sharedTreeBody(levels: number, fields: Record<string, unknown>): string {
  const json: Record<string, unknown> = { ...fields };
  let node = json;
  const equalities: Record<string, string[]> = {};
  for (let i = 0; i < levels; i++) {
    const child: Record<string, unknown> = {};
    node.x = child;
    node.y = null;
    equalities[`${"x.".repeat(i)}x`] = [`${"x.".repeat(i)}y`];
    node = child;
  }
  return JSON.stringify({ json, meta: { referentialEqualities: equalities, v: 1 } });
}

/** `{ name, self }` where `self` is the object itself (superjson's root form of equalities). */
const cycleBody = JSON.stringify({ json: { name: "x", self: null }, meta: { referentialEqualities: [["self"]], v: 1 } });

const post = (path: string, body: string) =>
  fetch(`${t.url}/trpc/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}`, "idempotency-key": newKey() },
    body,
  });

describe("input made huge by shared references", () => {
  it.each([
    ["project.create, 40 shared levels", "project.create", sharedTreeBody(40, { name: "x" })],
    ["auth.logout (no input), 40 shared levels", "auth.logout", sharedTreeBody(40, {})],
    ["project.create, a cycle", "project.create", cycleBody],
  ])("%s: a small 400 INPUT_TOO_LARGE, at once", async (_what, path, body) => {
    expect(body.length).toBeLessThan(5_000);
    const started = performance.now();
    const res = await post(path, body);
    const text = await res.text();
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(res.status).toBe(400);
    expect(text.length).toBeLessThan(2_000);
    expect(JSON.parse(text).error.json.data.reason).toBe("INPUT_TOO_LARGE");
  });

  it("leaves the server answering", async () => {
    expect((await fetch(`${t.url}/health`)).status).toBe(200);
    // The same shape without shared references is an ordinary validation error.
    const res = await post("project.create", JSON.stringify({ json: { name: "x", x: { x: {}, y: null }, y: null } }));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { json: { data: { reason: string } } } }).error.json.data.reason).toBe("VALIDATION_FAILED");
  });
});
