import { randomUUID } from "node:crypto";
import { connect, type Socket } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { call, newKey } from "../../test/http.js";
import { startTestServer, type TestServer } from "../testing.js";

// A security review against a production-mode instance: trickled headers got their 408 only after
// 60 s (Node's default headersTimeout, checked every 30 s), and a body trickled to
// POST /trpc/project.changes held its request for 90 s, because the live-stream exemption from
// REQUEST_TIMEOUT_MS matched the path whatever the method. Nor was there any cap on connections.
// Now Node's headersTimeout/requestTimeout are REQUEST_TIMEOUT_MS, checked at least every second,
// only a GET of a subscription is exempt, and MAX_CONNECTIONS / CONNECTIONS_PER_IP cap sockets.

const TIMEOUT_MS = 500;

interface Raw {
  socket: Socket;
  /** Everything received so far. */
  received(): string;
  /** Resolves with the ms from connecting until the server closed the connection, or rejects after `maxMs`. */
  closed(maxMs: number): Promise<number>;
  /** Resolves once `needle` has been received (after the first `from` characters), or rejects after `maxMs`. */
  waitFor(needle: string, maxMs: number, from?: number): Promise<void>;
}

const sockets = new Set<Socket>();
afterEach(() => {
  for (const s of sockets) s.destroy();
  sockets.clear();
});

/** A raw TCP connection to the test server, optionally from another loopback address. */
function raw(url: string, localAddress?: string): Promise<Raw> {
  const { port, hostname } = new URL(url);
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let data = "";
    let closedAt: number | undefined;
    const socket = connect({ port: Number(port), host: hostname, ...(localAddress && { localAddress }) });
    sockets.add(socket);
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      data += chunk;
    });
    socket.on("error", () => {}); // a reset is one way of being closed
    socket.on("close", () => {
      closedAt = Date.now();
    });
    const until = (done: () => boolean, maxMs: number, what: string) =>
      new Promise<void>((ok, fail) => {
        const deadline = Date.now() + maxMs;
        const tick = () => {
          if (done()) return ok();
          if (Date.now() > deadline) return fail(new Error(`${what} not within ${maxMs} ms; received:\n${data.slice(0, 500)}`));
          setTimeout(tick, 10);
        };
        tick();
      });
    socket.once("connect", () =>
      resolve({
        socket,
        received: () => data,
        closed: async (maxMs) => {
          await until(() => closedAt !== undefined, maxMs, "close");
          return closedAt! - started;
        },
        waitFor: (needle, maxMs, from = 0) => until(() => data.includes(needle, from), maxMs, JSON.stringify(needle)),
      }),
    );
    socket.once("error", reject);
  });
}

/** Writes `chunks` one every `everyMs` until the socket closes. */
function trickle(socket: Socket, chunks: Iterable<string>, everyMs: number) {
  const it = chunks[Symbol.iterator]();
  const timer = setInterval(() => {
    const next = it.next();
    if (next.done || socket.destroyed) return clearInterval(timer);
    socket.write(next.value);
  }, everyMs);
  socket.once("close", () => clearInterval(timer));
}

function* forever(chunk: string) {
  for (;;) yield chunk;
}

describe("REQUEST_TIMEOUT_MS against slow clients", () => {
  let t: TestServer;
  let token: string;
  beforeAll(async () => {
    t = await startTestServer({ config: { REQUEST_TIMEOUT_MS: String(TIMEOUT_MS) } });
    token = await t.tokenFor("editor");
  });
  afterAll(() => t?.close());

  it("closes a connection that trickles its headers with a 408 within the timeout, not after 60 s", async () => {
    const c = await raw(t.url);
    c.socket.write("GET /health HTTP/1.1\r\nHost: localhost\r\n");
    trickle(c.socket, forever("X-Slow: 1\r\n"), 100);
    const ms = await c.closed(TIMEOUT_MS * 4);
    expect(c.received()).toMatch(/^HTTP\/1\.1 408/);
    expect(ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
  });

  it("closes a connection that never sends a byte within the timeout", async () => {
    const c = await raw(t.url);
    const ms = await c.closed(TIMEOUT_MS * 4);
    expect(ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
  });

  it("answers a body trickled to POST /trpc/project.changes with the timeout and closes, instead of exempting it", async () => {
    const c = await raw(t.url);
    c.socket.write(
      [
        "POST /trpc/project.changes HTTP/1.1",
        "Host: localhost",
        `Authorization: Bearer ${token}`,
        "Content-Type: application/json",
        "Content-Length: 100000",
        "",
        "",
      ].join("\r\n"),
    );
    trickle(c.socket, forever(" "), 50);
    const ms = await c.closed(TIMEOUT_MS * 4);
    // The answer deadline (503 REQUEST_TIMEOUT, Retry-After) and Node's limit on receiving a request
    // (408) are both REQUEST_TIMEOUT_MS; whichever comes first answers.
    const status = Number(c.received().match(/^HTTP\/1\.1 (\d{3})/)?.[1]);
    expect([503, 408]).toContain(status);
    if (status === 503) expect(c.received()).toContain('"reason":"REQUEST_TIMEOUT"');
    expect(ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
  });

  it("keeps a GET live-update stream (SSE) open and delivering well past the timeout", async () => {
    const c = await raw(t.url);
    const input = encodeURIComponent(JSON.stringify({ json: {} }));
    c.socket.write(
      [`GET /trpc/project.changes?input=${input} HTTP/1.1`, "Host: localhost", `Authorization: Bearer ${token}`, "Accept: text/event-stream", "", ""].join(
        "\r\n",
      ),
    );
    await c.waitFor('"ready"', 5_000);
    expect(c.received()).toMatch(/^HTTP\/1\.1 200/);
    expect(c.received().toLowerCase()).toContain("content-type: text/event-stream");
    await new Promise((r) => setTimeout(r, TIMEOUT_MS * 3));
    expect(c.socket.readyState).toBe("open");
    const name = `Past the timeout ${randomUUID()}`;
    expect((await call(`${t.url}/api/v1/projects`, { token, key: newKey(), body: { name } })).status).toBe(200);
    await c.waitFor(name, 5_000);
  });
});

describe("connection caps", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ config: { MAX_CONNECTIONS: "6", CONNECTIONS_PER_IP: "3" } });
  });
  afterAll(() => t?.close());

  const healthy = async (c: Raw) => {
    const before = c.received().length;
    c.socket.write("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n");
    await c.waitFor('{"status":"ok"}', 2_000, before);
    expect(c.received().slice(before)).toMatch(/^HTTP\/1\.1 200/);
  };
  const refused = async (c: Raw) => {
    c.socket.write("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n");
    await c.closed(2_000);
    expect(c.received()).toBe("");
  };

  it("refuses the connection over CONNECTIONS_PER_IP from one address while others work, and over MAX_CONNECTIONS from any", async () => {
    const open = (address: string) => raw(t.url, address);
    const a = [await open("127.0.0.2"), await open("127.0.0.2"), await open("127.0.0.2")];
    for (const c of a) await healthy(c);
    await refused(await open("127.0.0.2"));
    // The first three keep working, and another address is not affected.
    for (const c of a) await healthy(c);
    const b = [await open("127.0.0.3"), await open("127.0.0.3"), await open("127.0.0.3")];
    for (const c of b) await healthy(c);
    // Six open: the instance is full, whoever asks.
    await refused(await open("127.0.0.4"));
    // A closed connection frees its slot on both counts.
    a[0]!.socket.destroy();
    await expect.poll(() => connections(t), { timeout: 2_000 }).toBe(5);
    await healthy(await open("127.0.0.2"));
  });
});

function connections(t: TestServer): Promise<number> {
  return new Promise((resolve, reject) => t.server.app.server.getConnections((err, n) => (err ? reject(err) : resolve(n))));
}
