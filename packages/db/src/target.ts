import type { Config } from "@trellis/config";
import type { DbTarget } from "./client.js";

export function dbTargetFromConfig(config: Pick<Config, "databaseUrl" | "dataDir">): DbTarget {
  return config.databaseUrl
    ? { kind: "postgres", url: config.databaseUrl }
    : { kind: "pglite", dataDir: config.dataDir };
}
