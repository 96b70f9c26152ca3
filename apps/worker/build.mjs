// dist/main.js: the worker bundled with what it uses (see scripts/bundle-host.mjs).
import { build } from "esbuild";
import { bundleHost } from "../../scripts/bundle-host.mjs";

await bundleHost({
  build,
  app: "apps/worker",
  external: {
    "@node-rs/argon2": "native addon (loads a platform-specific .node binary)",
    "@electric-sql/pglite": "loads its wasm, data and extension files from beside itself",
  },
});
