import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "@trellis/config";
import { type DbHandle, ensureAdmin, seedDemo } from "@trellis/db";

export interface Logger {
  info(msg: string): void;
  warn(msg: string): void;
}

/**
 * Migrates, then seeds demo data into an empty database (embedded default) and/or
 * creates the configured first admin. Returns how to sign in, for the start banner.
 */
export async function prepareDatabase(handle: DbHandle, config: Config, log: Logger): Promise<{ signIn?: string }> {
  await handle.migrate();
  const loginFile = config.databaseUrl ? undefined : join(config.dataDir, "demo-login.txt");
  if (config.seedDemo) {
    const result = await seedDemo(handle.db, { admin: config.admin });
    if (result.seeded && result.admin) {
      const line = `${result.admin.email} / ${result.admin.password}`;
      log.info(`Seeded ${result.users} demo users and ${result.projects} projects`);
      // Kept beside the embedded database so the next start can print it again.
      if (loginFile && !config.admin) writeFileSync(loginFile, `${line}\n`, { mode: 0o600 });
      return { signIn: `${line} (other demo users, e.g. eve@trellis.local, share the password)` };
    }
  }
  if (config.admin) {
    const created = await ensureAdmin(handle.db, config.admin);
    log.info(created ? `Created admin ${config.admin.email}` : `Admin ${config.admin.email} already exists`);
    return { signIn: `${config.admin.email} / (ADMIN_PASSWORD)` };
  }
  if (loginFile && existsSync(loginFile)) return { signIn: readFileSync(loginFile, "utf8").trim() };
  return {};
}
