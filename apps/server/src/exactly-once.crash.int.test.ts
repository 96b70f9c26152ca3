import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "@trellis/config";
import { createTestDb, type TestDatabase } from "@trellis/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startChildServer } from "../test/child-server.js";
import { call, login, newKey } from "../test/http.js";

// Each instance is a real child process running src/main.ts. Postgres mode shares an isolated
// database; embedded mode shares a PGlite data directory (one process at a time, as in production).
const admin = { ADMIN_EMAIL: "crash-admin@test.local", ADMIN_PASSWORD: "crash-test-password" };
let db: TestDatabase | undefined;
let dataDir: string | undefined;
let baseEnv: Record<string, string>;

beforeAll(async () => {
  const { databaseUrl, redisUrl } = loadConfig();
  if (databaseUrl) db = await createTestDb();
  else dataDir = mkdtempSync(join(tmpdir(), "trellis-crash-"));
  baseEnv = {
    ...admin,
    SEED_DEMO: "0",
    AUTH_SECRET: "crash-secret-".padEnd(40, "c"),
    IDEMPOTENCY_LOCK_TIMEOUT_MS: "1500",
    ...(db?.url ? { DATABASE_URL: db.url } : { DATA_DIR: dataDir! }),
    ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
  };
});

afterAll(async () => {
  await db?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function countNamed(url: string, token: string, name: string): Promise<number> {
  const r = await call(`${url}/api/v1/projects?q=${encodeURIComponent(name)}`, { token });
  expect(r.status).toBe(200);
  return r.body.items.length;
}

// Each test starts two real server processes (tsx compiles on start): slow on a loaded 2-core machine.
describe("a server killed mid-request", { timeout: 180_000 }, () => {
  it("after commit, before responding: a retry on a fresh instance replays the committed result", async () => {
    const crashing = await startChildServer({ ...baseEnv, FAULT_INJECTION: "kill-after-commit" });
    const token = await login(crashing.url, admin.ADMIN_EMAIL, admin.ADMIN_PASSWORD);
    const key = newKey();
    const name = `After commit ${key}`;
    await expect(call(`${crashing.url}/api/v1/projects`, { token, key, body: { name } })).rejects.toThrow();
    await crashing.exited;

    const fresh = await startChildServer(baseEnv);
    try {
      const retry = await call(`${fresh.url}/api/v1/projects`, { token, key, body: { name } });
      expect(retry.status).toBe(200);
      expect(retry.headers.get("idempotent-replayed")).toBe("true");
      expect(retry.body).toMatchObject({ name, version: 1 });
      expect(await countNamed(fresh.url, token, name)).toBe(1);
    } finally {
      await fresh.kill();
    }
  });

  it("before commit: nothing is stored, and a retry runs exactly once after the lock timeout", async () => {
    const crashing = await startChildServer({ ...baseEnv, FAULT_INJECTION: "kill-before-commit" });
    const token = await login(crashing.url, admin.ADMIN_EMAIL, admin.ADMIN_PASSWORD);
    const key = newKey();
    const name = `Before commit ${key}`;
    await expect(call(`${crashing.url}/api/v1/projects`, { token, key, body: { name } })).rejects.toThrow();
    await crashing.exited;

    const fresh = await startChildServer(baseEnv);
    try {
      const statuses: number[] = [];
      let created: { id: string } | undefined;
      const deadline = Date.now() + 20_000;
      while (!created && Date.now() < deadline) {
        const r = await call(`${fresh.url}/api/v1/projects`, { token, key, body: { name } });
        statuses.push(r.status);
        if (r.status === 200) created = r.body;
        else {
          // Only "still in flight" is acceptable while the dead attempt's marker lives.
          expect(r.status).toBe(409);
          expect(r.body.data.reason).toBe("IDEMPOTENCY_IN_PROGRESS");
          expect(Number(r.headers.get("retry-after"))).toBeGreaterThan(0);
          await new Promise((res) => setTimeout(res, 250));
        }
      }
      expect(created).toBeDefined();
      const again = await call(`${fresh.url}/api/v1/projects`, { token, key, body: { name } });
      expect(again.headers.get("idempotent-replayed")).toBe("true");
      expect(again.body.id).toBe(created!.id);
      expect(await countNamed(fresh.url, token, name)).toBe(1);
    } finally {
      await fresh.kill();
    }
  });
});
