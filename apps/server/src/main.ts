import { ConfigError, loadServerConfig } from "@trellis/config";
import { startBanner } from "./bootstrap.js";
import { createServer } from "./server.js";

async function main() {
  let config;
  try {
    config = loadServerConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
  const server = await createServer({ config });
  const url = await server.start();
  console.log(startBanner({ url, config, signIn: server.signIn }));

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
