import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { authEvents, projects } from "@trellis/db";
import { count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, newKey } from "../test/http.js";
import { CSRF_HEADER } from "./csrf.js";
import { startTestServer, type TestServer } from "./testing.js";

const ALLOWED = "https://app.example.com";

let t: TestServer;
let cookie: string;
let token: string;
beforeAll(async () => {
  t = await startTestServer({ config: { CORS_ORIGINS: ALLOWED } });
  const res = await fetch(`${t.url}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: t.users.editor.email, password: t.users.editor.password }),
  });
  cookie = res.headers.get("set-cookie")!.split(";")[0]!;
  token = ((await res.json()) as { token: string }).token;
});
afterAll(() => t?.close());

async function projectCount(server: TestServer = t) {
  const [row] = await server.db.db.select({ n: count() }).from(projects);
  return Number(row!.n);
}

describe("security headers", () => {
  it("sends a strict CSP and helmet's headers on pages and API answers", async () => {
    for (const path of ["/", "/api/v1/openapi.json", "/health", "/trpc/auth.me"]) {
      const res = await fetch(`${t.url}${path}`);
      const csp = res.headers.get("content-security-policy") ?? "";
      const directives = Object.fromEntries(csp.split(";").map((d) => [d.trim().split(" ")[0], d.trim().split(" ").slice(1)]));
      expect({ path, script: directives["script-src"], style: directives["style-src"] }).toEqual({
        path,
        script: ["'self'"],
        style: ["'self'"],
      });
      expect(directives["default-src"]).toEqual(["'self'"]);
      expect(directives["object-src"]).toEqual(["'none'"]);
      expect(directives["frame-ancestors"]).toEqual(["'none'"]);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("referrer-policy")).toBe("same-origin");
      expect(res.headers.get("cross-origin-opener-policy")).toBe("same-origin");
      // Plain HTTP here: no HSTS, no upgrade-insecure-requests.
      expect(res.headers.get("strict-transport-security")).toBeNull();
      expect(csp).not.toContain("upgrade-insecure-requests");
      await res.body?.cancel();
    }
  });

  it("relaxes styles for the Swagger UI at /api-docs only, never scripts", async () => {
    const res = await fetch(`${t.url}/api-docs/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("swagger-ui");
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(/style-src 'self' 'unsafe-inline'/);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it("adds HSTS and upgrade-insecure-requests when served over HTTPS", async () => {
    await using s = await startTestServer({ config: { COOKIE_SECURE: "1" } });
    const res = await fetch(`${s.url}/health`);
    expect(res.headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
    expect(res.headers.get("content-security-policy")).toContain("upgrade-insecure-requests");
  });

  it("keeps echoing X-Request-Id", async () => {
    const res = await fetch(`${t.url}/api/v1/auth/me`, { headers: { "x-request-id": "sec-check-1" } });
    expect(res.headers.get("x-request-id")).toBe("sec-check-1");
  });
});

describe("request id", () => {
  it("replaces a caller's X-Request-Id that is not a short plain token, so a formula or quote never reaches logs or the audit log", async () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    for (const given of ["'=1+1", "=1+1", "+1", "-1", "@SUM(A1)", '"quoted"', "has space", "a,b", "x".repeat(65), "é"]) {
      const res = await fetch(`${t.url}/health`, { headers: { "x-request-id": given } });
      expect({ given, id: res.headers.get("x-request-id") }).toEqual({ given, id: expect.stringMatching(uuid) });
    }
    for (const given of ["abc-123", "trace.7:span_9", "A", "x".repeat(64), "0af7651916cd43dd8448eb211c80319c"]) {
      const res = await fetch(`${t.url}/health`, { headers: { "x-request-id": given } });
      expect(res.headers.get("x-request-id")).toBe(given);
    }

    // What the review saw: a forged id stored as an audit row's request id (and so in the CSV).
    const res = await fetch(`${t.url}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-request-id": "'=1+1" },
      body: JSON.stringify({ email: t.users.viewer.email, password: t.users.viewer.password }),
    });
    expect(res.status).toBe(200);
    const id = res.headers.get("x-request-id")!;
    expect(id).toMatch(uuid);
    const rows = await t.db.db.select({ requestId: authEvents.requestId, action: authEvents.action }).from(authEvents).where(eq(authEvents.requestId, id));
    expect(rows).toHaveLength(1);
    const forged = await t.db.db.select({ n: count() }).from(authEvents).where(eq(authEvents.requestId, "'=1+1"));
    expect(Number(forged[0]!.n)).toBe(0);
  });
});

describe("session cookie", () => {
  /** Signs in as the viewer with a cookie, signs out on `surface`, and returns the clearing Set-Cookie. */
  async function clearingCookie(s: TestServer, surface: "rest" | "trpc") {
    const login = await fetch(`${s.url}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: s.users.viewer.email, password: s.users.viewer.password }),
    });
    const set = login.headers.get("set-cookie")!;
    const session = set.split(";")[0]!;
    const logout = await fetch(`${s.url}${surface === "rest" ? "/api/v1/auth/logout" : "/trpc/auth.logout"}`, {
      method: "POST",
      headers: { cookie: session, [CSRF_HEADER]: "1", "content-type": "application/json" },
      body: "{}",
    });
    expect({ surface, status: logout.status, body: await logout.text() }).toMatchObject({ surface, status: 200 });
    return { set, cleared: logout.headers.get("set-cookie") ?? "" };
  }
  const attributes = (cookie: string) =>
    cookie
      .split(";")
      .slice(1)
      .map((a) => a.trim().split("=")[0]!.toLowerCase())
      .filter((a) => ["httponly", "secure", "samesite", "path"].includes(a))
      .sort();

  it("is cleared on logout with the attributes it was set with: HttpOnly, SameSite=Lax, Path=/, and Secure over HTTPS", async () => {
    await using secure = await startTestServer({ config: { COOKIE_SECURE: "1" } });
    for (const [server, https] of [[t, false], [secure, true]] as const) {
      for (const surface of ["rest", "trpc"] as const) {
        const { set, cleared } = await clearingCookie(server, surface);
        expect(cleared).toMatch(/^trellis_session=;/);
        expect(cleared).toMatch(/Expires=Thu, 01 Jan 1970/);
        expect(cleared).toMatch(/SameSite=Lax/);
        expect(cleared).toMatch(/Path=\//);
        expect({ https, surface, attributes: attributes(cleared) }).toEqual({ https, surface, attributes: attributes(set) });
        expect(attributes(cleared)).toEqual(https ? ["httponly", "path", "samesite", "secure"] : ["httponly", "path", "samesite"]);
      }
    }
  });
});

describe("dashboard source maps", () => {
  it("are never served, even when a build leaves them in the dashboard's directory", async () => {
    const dist = mkdtempSync(join(tmpdir(), "trellis-dist-"));
    try {
      mkdirSync(join(dist, "assets"));
      writeFileSync(join(dist, "index.html"), '<!doctype html><script type="module" src="/assets/app.js"></script>');
      writeFileSync(join(dist, "assets", "app.js"), "console.log(1);\n");
      writeFileSync(join(dist, "assets", "app.js.map"), '{"version":3,"sources":["src/secret.tsx"],"mappings":""}');
      await using s = await startTestServer({ webDist: dist });
      expect((await fetch(`${s.url}/assets/app.js`)).status).toBe(200);
      for (const accept of ["*/*", "text/html", "application/json"]) {
        for (const method of ["GET", "HEAD"]) {
          const res = await fetch(`${s.url}/assets/app.js.map`, { method, headers: { accept } });
          const body = await res.text();
          expect({ accept, method, status: res.status }).toEqual({ accept, method, status: 404 });
          expect(body).not.toContain("secret.tsx");
        }
      }
      // Client-side routes still get the app.
      const page = await fetch(`${s.url}/projects/new`, { headers: { accept: "text/html" } });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("/assets/app.js");
    } finally {
      rmSync(dist, { recursive: true, force: true });
    }
  });
});

describe("CORS", () => {
  const preflight = (url: string, origin: string) =>
    fetch(`${url}/api/v1/projects`, {
      method: "OPTIONS",
      headers: {
        origin,
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization,content-type,idempotency-key",
      },
    });

  it("lets an origin from CORS_ORIGINS call the API with credentials and read the limit headers", async () => {
    const pre = await preflight(t.url, ALLOWED);
    expect(pre.status).toBeLessThan(300);
    expect(pre.headers.get("access-control-allow-origin")).toBe(ALLOWED);
    expect(pre.headers.get("access-control-allow-credentials")).toBe("true");
    const allowHeaders = pre.headers.get("access-control-allow-headers")?.toLowerCase() ?? "";
    for (const h of ["authorization", "idempotency-key", "if-match", CSRF_HEADER]) expect(allowHeaders).toContain(h);

    const res = await fetch(`${t.url}/api/v1/auth/me`, { headers: { origin: ALLOWED, authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe(ALLOWED);
    const exposed = res.headers.get("access-control-expose-headers")?.toLowerCase() ?? "";
    for (const h of ["ratelimit-remaining", "retry-after", "etag", "x-request-id"]) expect(exposed).toContain(h);
  });

  it("gives any other origin nothing to read", async () => {
    for (const origin of ["https://evil.example", "https://app.example.com.evil.example", "null"]) {
      const pre = await preflight(t.url, origin);
      expect(pre.headers.get("access-control-allow-origin")).toBeNull();
      const res = await fetch(`${t.url}/api/v1/auth/me`, { headers: { origin, authorization: `Bearer ${token}` } });
      expect(res.headers.get("access-control-allow-origin")).toBeNull();
    }
  });

  it("allows no cross-origin caller at all by default", async () => {
    await using s = await startTestServer();
    const pre = await preflight(s.url, ALLOWED);
    expect(pre.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("CSRF", () => {
  /** A write on both surfaces with the given headers; returns both answers. */
  async function writeBoth(headers: Record<string, string>) {
    const restRes = await fetch(`${t.url}/api/v1/projects`, {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": newKey(), ...headers },
      body: JSON.stringify({ name: `csrf rest ${randomUUID()}` }),
    });
    const trpcRes = await fetch(`${t.url}/trpc/project.create`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ json: { name: `csrf trpc ${randomUUID()}` } }),
    });
    return {
      rest: { status: restRes.status, body: (await restRes.json()) as { data?: { reason?: string }; message?: string } },
      trpc: {
        status: trpcRes.status,
        body: (await trpcRes.json()) as { error?: { json: { data: { reason?: string; httpStatus: number }; message: string } } },
      },
    };
  }

  it("refuses a cookie-authenticated write from a foreign, null or missing Origin with 403 CSRF_REJECTED, writing nothing", async () => {
    const before = await projectCount();
    const forged: Array<Record<string, string>> = [
      { cookie, origin: "https://evil.example" },
      { cookie, origin: "null" },
      { cookie, origin: "https://evil.example", [CSRF_HEADER]: "1" },
      { cookie },
      { cookie, referer: "https://evil.example/page" },
    ];
    for (const headers of forged) {
      const { rest, trpc } = await writeBoth(headers);
      expect({ headers, rest: rest.status, reason: rest.body.data?.reason }).toEqual({ headers, rest: 403, reason: "CSRF_REJECTED" });
      expect({ headers, trpc: trpc.status, reason: trpc.body.error?.json.data.reason }).toEqual({
        headers,
        trpc: 403,
        reason: "CSRF_REJECTED",
      });
      expect(rest.body.message).toMatch(/Cross-site request refused/);
    }
    expect(await projectCount()).toBe(before);
  });

  it("accepts a cookie-authenticated write from the server's own origin, an allowed origin, or with the CSRF header", async () => {
    const legitimate: Array<Record<string, string>> = [
      { cookie, origin: t.url },
      { cookie, origin: ALLOWED },
      { cookie, [CSRF_HEADER]: "1" },
      { cookie, referer: `${t.url}/projects/new` },
    ];
    for (const headers of legitimate) {
      const before = await projectCount();
      const { rest, trpc } = await writeBoth(headers);
      expect({ headers, rest: rest.status, trpc: trpc.status }).toEqual({ headers, rest: 200, trpc: 200 });
      expect(await projectCount()).toBe(before + 2);
    }
  });

  it("exempts bearer-token requests and cookie-less requests, and never checks reads", async () => {
    const { rest, trpc } = await writeBoth({ authorization: `Bearer ${token}`, origin: "https://evil.example" });
    expect([rest.status, trpc.status]).toEqual([200, 200]);
    // No cookie: nothing ambient to forge with (the call is simply signed out).
    const signedOut = await writeBoth({ origin: "https://evil.example" });
    expect([signedOut.rest.status, signedOut.trpc.status]).toEqual([401, 401]);
    // Login itself, with no session cookie, works from anywhere a client is allowed to call.
    const login = await fetch(`${t.url}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: "https://evil.example" },
      body: JSON.stringify({ email: t.users.viewer.email, password: t.users.viewer.password }),
    });
    expect(login.status).toBe(200);
    const read = await fetch(`${t.url}/api/v1/auth/me`, { headers: { cookie, origin: "https://evil.example" } });
    expect(read.status).toBe(200);
  });
});

describe("request limits", () => {
  it("answers an oversized body with 413 on both surfaces", async () => {
    const big = "x".repeat(1024 * 1024 + 10);
    const rest = await fetch(`${t.url}/api/v1/projects`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}`, "idempotency-key": newKey() },
      body: JSON.stringify({ name: big }),
    });
    expect(rest.status).toBe(413);
    const trpc = await fetch(`${t.url}/trpc/project.create`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ json: { name: big } }),
    });
    expect(trpc.status).toBe(413);
  });

  it("answers 503 REQUEST_TIMEOUT when a request is stuck, keeps serving, and a timed-out write still lands once", async () => {
    await using s = await startTestServer({ config: { REQUEST_TIMEOUT_MS: "400" } });
    const editor = await s.tokenFor("editor");
    const key = newKey();
    const name = `Stuck ${key}`;
    let release!: () => void;
    const released = new Promise<void>((r) => {
      release = r;
    });
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => {
      locked = r;
    });
    // Hold the projects table (on PGlite: the one connection) until the answers are in.
    const holder = s.db.db.transaction(async (tx) => {
      await tx.execute(sql`lock table projects in access exclusive mode`);
      locked();
      await released;
    });
    await isLocked;
    try {
      const [read, write] = await Promise.all([
        call(`${s.url}/api/v1/projects`, { token: editor }),
        call(`${s.url}/api/v1/projects`, { token: editor, key, body: { name } }),
      ]);
      for (const r of [read, write]) {
        expect(r.status).toBe(503);
        expect(r.body.data.reason).toBe("REQUEST_TIMEOUT");
        expect(r.headers.get("retry-after")).toBe("1");
        expect(r.body.data.requestId).toBe(r.headers.get("x-request-id"));
      }
    } finally {
      release();
      await holder;
    }
    expect((await fetch(`${s.url}/health`)).status).toBe(200);
    // The write finishes behind the timeout; a retry with its key gets that one project.
    await expect
      .poll(async () => (await call(`${s.url}/api/v1/projects`, { token: editor, key, body: { name } })).status, { timeout: 10_000 })
      .toBe(200);
    const list = await call(`${s.url}/api/v1/projects?q=${encodeURIComponent(name)}`, { token: editor });
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
  });

  it("does not time out live-update streams", async () => {
    await using s = await startTestServer({ config: { REQUEST_TIMEOUT_MS: "300" } });
    const editor = await s.tokenFor("editor");
    const controller = new AbortController();
    const res = await fetch(`${s.url}/trpc/project.changes?input=${encodeURIComponent(JSON.stringify({ json: {} }))}`, {
      headers: { authorization: `Bearer ${editor}`, accept: "text/event-stream" },
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let seen = "";
    const readUntil = async (needle: string) => {
      while (!seen.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${needle}:\n${seen}`);
        seen += value;
      }
    };
    try {
      await readUntil('"ready"');
      // Well past the request timeout, the stream still delivers.
      await new Promise((r) => setTimeout(r, 900));
      const name = `Streamed ${randomUUID()}`;
      expect((await call(`${s.url}/api/v1/projects`, { token: editor, key: newKey(), body: { name } })).status).toBe(200);
      await readUntil(name);
    } finally {
      controller.abort();
      await reader.cancel().catch(() => {});
    }
  });
});
