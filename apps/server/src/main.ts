import { ConfigError, loadConfig } from "@trellis/config";
import { createServer } from "./server.js";

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
  const server = await createServer({ config });
  const url = await server.start();
  const mode = `${config.databaseUrl ? "Postgres" : `embedded PGlite in ${config.dataDir}`}, ${config.redisUrl ? "Redis" : "in-memory kv"}`;
  // A plain banner, not a JSON log line: this is what a newcomer reads first.
  console.log(
    [
      "",
      "  Trellis is running",
      `  Dashboard   ${url}`,
      `  API docs    ${url}/api-docs   (OpenAPI: ${url}/api/v1/openapi.json)`,
      `  Data        ${mode}`,
      ...(server.signIn ? [`  Sign in     ${server.signIn}`] : []),
      "",
    ].join("\n"),
  );

  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      server.app.log.info(`${signal}: shutting down`);
      server.stop().then(
        () => process.exit(0),
        (err) => {
          server.app.log.error({ err }, "shutdown failed");
          process.exit(1);
        },
      );
    });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
