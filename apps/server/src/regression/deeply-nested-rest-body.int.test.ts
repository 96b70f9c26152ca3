import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newKey } from "../../test/http.js";
import { MAX_BODY_DEPTH } from "../plugins/body-depth.js";
import { startTestServer, type TestServer } from "../testing.js";

// A JSON body nested tens of thousands of levels deep parses fine, but the REST adapter then
// serializes it recursively and overflowed the stack: a 500 for the client's mistake (found by
// the fuzz test). Bodies deeper than MAX_BODY_DEPTH are now a 400 before any handler runs.

let t: TestServer;
let token: string;
beforeAll(async () => {
  t = await startTestServer();
  token = await t.tokenFor("editor");
});
afterAll(() => t?.close());

const post = (body: string) =>
  fetch(`${t.url}/api/v1/projects`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}`, "idempotency-key": newKey() },
    body,
  });

describe("a deeply nested REST body", () => {
  it("is a 400 BODY_TOO_DEEP, for objects and arrays alike, and the server keeps answering", async () => {
    for (const body of [
      `{"name":${'{"a":'.repeat(50_000)}1${"}".repeat(50_000)}}`,
      `{"name":"x","tags":${"[".repeat(50_000)}${"]".repeat(50_000)}}`,
      `{"name":${"[".repeat(MAX_BODY_DEPTH + 1)}${"]".repeat(MAX_BODY_DEPTH + 1)}}`,
    ]) {
      const res = await post(body);
      expect(res.status).toBe(400);
      const json = (await res.json()) as { data: { reason: string; requestId: string } };
      expect(json.data.reason).toBe("BODY_TOO_DEEP");
      expect(json.data.requestId).toBe(res.headers.get("x-request-id"));
    }
    expect((await fetch(`${t.url}/health`)).status).toBe(200);
  });

  it("still answers an ordinary nested body with validation errors", async () => {
    const res = await post(`{"name":${"[".repeat(MAX_BODY_DEPTH - 2)}${"]".repeat(MAX_BODY_DEPTH - 2)}}`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { data: { reason: string } }).data.reason).toBe("VALIDATION_FAILED");
  });
});
