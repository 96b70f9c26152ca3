import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { type Config, parseConfig } from "@trellis/config";
import { createDb, dbTargetFromConfig } from "@trellis/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Logger, prepareDatabase } from "../bootstrap.js";
import { createServer } from "../server.js";

// A security review found the embedded DATA_DIR open to every local user: 969 of 1,026 PGlite
// files 0666 and directories 0755, so anyone on the machine could read emails and password hashes
// or change a role. PGlite unpacks a new cluster with explicit 0666 modes whatever the umask; now
// DATA_DIR is made 0700 before PGlite writes anything, its files 0600, and an existing directory
// is fixed at start (with one log line saying how many entries were open).

/** `path → mode` of the directory and everything under it that is not owner-only (dirs 0700, files 0600). */
function loose(dir: string): Record<string, string> {
  const found: Record<string, string> = {};
  const visit = (path: string) => {
    const stat = lstatSync(path);
    const wanted = stat.isDirectory() ? 0o700 : 0o600;
    if ((stat.mode & 0o777) !== wanted) found[relative(dir, path) || "."] = (stat.mode & 0o777).toString(8);
    if (stat.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  visit(dir);
  return found;
}

function entries(dir: string): string[] {
  const all: string[] = [];
  const visit = (path: string) => {
    all.push(path);
    if (lstatSync(path).isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  visit(dir);
  return all;
}

const embedded = (dataDir: string): Config => ({
  // Embedded whatever DATABASE_URL/REDIS_URL the suite runs with: this is about PGlite's files.
  ...parseConfig({ PORT: "0", LOG_LEVEL: "silent", DATA_DIR: dataDir }),
  databaseUrl: undefined,
  redisUrl: undefined,
});

let root: string;
let previousUmask: number;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "trellis-datadir-"));
  // The most permissive umask a caller could have: the modes must not depend on it.
  previousUmask = process.umask(0);
});
afterAll(() => {
  process.umask(previousUmask);
  rmSync(root, { recursive: true, force: true });
});

describe("the embedded data directory", () => {
  const dataDir = () => join(root, "data");

  it("is created owner-only (directory 0700, files 0600) under a umask of 000, database, secret and demo login included", async () => {
    const server = await createServer({ config: embedded(dataDir()), webDist: "/nonexistent" });
    try {
      await server.start();
      const names = readdirSync(dataDir());
      expect(names).toEqual(expect.arrayContaining(["auth-secret", "demo-login.txt", "PG_VERSION", "base"]));
      expect(entries(dataDir()).length).toBeGreaterThan(900);
      expect(loose(dataDir())).toEqual({});
      expect(server.db.dataDirEntriesFixed).toBe(0);
    } finally {
      await server.stop();
    }
    expect(loose(dataDir())).toEqual({});
  });

  it("is fixed at start when it was left open, and says how many entries were", async () => {
    // As the reviewed instance had it, plus a directory and file of our own.
    mkdirSync(join(dataDir(), "extra"), { mode: 0o777 });
    writeFileSync(join(dataDir(), "extra", "note.txt"), "hello", { mode: 0o666 });
    const all = entries(dataDir());
    for (const path of all) chmodSync(path, lstatSync(path).isDirectory() ? 0o777 : 0o666);
    expect(Object.keys(loose(dataDir())).length).toBe(all.length);

    const config = embedded(dataDir());
    const handle = await createDb(dbTargetFromConfig(config));
    const log: string[] = [];
    const logger: Logger = { info: (m) => log.push(m), warn: (m) => log.push(m) };
    try {
      expect(handle.dataDirEntriesFixed).toBe(all.length);
      await prepareDatabase(handle, config, logger);
      expect(loose(dataDir())).toEqual({});
    } finally {
      await handle.close();
    }
    expect(log.filter((m) => m.includes("DATA_DIR"))).toEqual([
      `DATA_DIR ${dataDir()}: ${all.length} files and directories had group or other permissions; made owner-only (directories 0700, files 0600)`,
    ]);
  });
});
