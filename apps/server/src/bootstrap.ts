import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "@trellis/config";
import { type DbHandle, ensureAdmin, seedDemo } from "@trellis/db";

export interface Logger {
  info(msg: string): void;
  warn(msg: string): void;
}

const HOW_TO_CREATE_ADMIN = "set ADMIN_EMAIL and ADMIN_PASSWORD (an email with no account yet) and restart to create an admin";

/**
 * Migrates, then seeds demo data into an empty database (SEED_DEMO) and/or creates the
 * configured first admin. Returns how to sign in, for the start banner (one line per login).
 * A password the operator supplied (ADMIN_PASSWORD) is never printed, logged or written down;
 * only the generated demo password is shown, and kept in DATA_DIR (0600) for later starts.
 */
export async function prepareDatabase(handle: DbHandle, config: Config, log: Logger): Promise<{ signIn: string }> {
  if (handle.dataDirEntriesFixed) {
    log.warn(
      `DATA_DIR ${config.dataDir}: ${handle.dataDirEntriesFixed} files and directories had group or other permissions; made owner-only (directories 0700, files 0600)`,
    );
  }
  await handle.migrate();
  const loginFile = config.databaseUrl ? undefined : join(config.dataDir, "demo-login.txt");
  const lines: string[] = [];
  let demoLine: string | undefined;

  if (config.seedDemo) {
    // Generated here, so the demo users' password is known whoever becomes the admin.
    const password = randomBytes(9).toString("base64url");
    const result = await seedDemo(handle.db, { admin: config.admin, password });
    if (result.seeded) {
      log.info(`Seeded ${result.users} demo users and ${result.projects} projects`);
      if (config.admin) {
        // The admin got ADMIN_PASSWORD; the other demo users share the generated password.
        lines.push(`${config.admin.email} / the password in ADMIN_PASSWORD`);
        demoLine = `demo users, e.g. eve@trellis.local / ${password} (they share this generated password)`;
      } else {
        demoLine = `admin@trellis.local / ${password} (other demo users, e.g. eve@trellis.local, share the password)`;
      }
      // Kept beside the embedded database (owner-only) so the next start can print it again.
      if (loginFile) {
        writeFileSync(loginFile, `${demoLine}\n`, { mode: 0o600 });
        chmodSync(loginFile, 0o600);
      }
      lines.push(demoLine);
      return { signIn: lines.join("\n") };
    }
  }
  if (config.admin) {
    const created = await ensureAdmin(handle.db, config.admin);
    log.info(created ? `Created admin ${config.admin.email}` : `An account for ${config.admin.email} already exists; left unchanged`);
    lines.push(
      created
        ? `${config.admin.email} / the password in ADMIN_PASSWORD`
        : `${config.admin.email} / its current password (an existing account: ADMIN_PASSWORD is only used when the admin is created)`,
    );
  }
  if (loginFile && existsSync(loginFile)) lines.push(`${readFileSync(loginFile, "utf8").trim()} (as seeded on the first start)`);
  if (lines.length === 0) lines.push(`no account was created by this start: ${HOW_TO_CREATE_ADMIN}`);
  return { signIn: lines.join("\n") };
}

/** The plain banner printed at start, not a JSON log line: this is what a newcomer reads first. */
export function startBanner(opts: { url: string; config: Config; signIn: string | undefined }): string {
  const { url, config } = opts;
  const mode = `${config.databaseUrl ? "Postgres" : `embedded PGlite in ${config.dataDir}`}, ${config.redisUrl ? "Redis" : "in-memory kv"}`;
  const [first, ...rest] = (opts.signIn ?? "").split("\n").filter(Boolean);
  return [
    "",
    "  Trellis is running",
    `  Dashboard   ${url}`,
    `  API docs    ${url}/api-docs   (OpenAPI: ${url}/api/v1/openapi.json)`,
    `  Data        ${mode}`,
    ...(first ? [`  Sign in     ${first}`, ...rest.map((line) => `              ${line}`)] : []),
    "",
  ].join("\n");
}
