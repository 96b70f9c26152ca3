import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "@trellis/config";

/**
 * The session-signing secret: AUTH_SECRET when set; in embedded mode one generated on
 * first start and kept in DATA_DIR (so sessions survive restarts); otherwise a random
 * per-process secret, which production refuses because instances must share it.
 */
export function resolveAuthSecret(config: Config, warn: (msg: string) => void): string {
  if (config.authSecret) return config.authSecret;
  if (!config.databaseUrl) {
    const file = join(config.dataDir, "auth-secret");
    if (existsSync(file)) return readFileSync(file, "utf8").trim();
    // Owner-only whatever the umask (the embedded database has made DATA_DIR 0700 already).
    mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
    const secret = randomBytes(32).toString("base64url");
    writeFileSync(file, secret, { mode: 0o600 });
    chmodSync(file, 0o600);
    return secret;
  }
  if (config.nodeEnv === "production") {
    throw new Error("AUTH_SECRET must be set in production (at least 32 characters, the same on every instance)");
  }
  warn("AUTH_SECRET is not set: using a random secret; sessions end when this process stops");
  return randomBytes(32).toString("base64url");
}
