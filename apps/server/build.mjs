// dist/main.js: the server bundled with what it uses (see scripts/bundle-host.mjs).
import { build } from "esbuild";
import { bundleHost } from "../../scripts/bundle-host.mjs";

await bundleHost({
  build,
  app: "apps/server",
  external: {
    "@node-rs/argon2": "native addon (loads a platform-specific .node binary)",
    "@electric-sql/pglite": "loads its wasm, data and extension files from beside itself",
    "@fastify/swagger-ui": "serves the Swagger UI static files from its own directory",
  },
});
