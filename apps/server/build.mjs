// Bundles the host and the workspace packages it uses into dist/main.js; third-party
// packages stay external (native argon2, PGlite's wasm) and load from node_modules.
import { cpSync, rmSync } from "node:fs";
import { build } from "esbuild";

rmSync("dist", { recursive: true, force: true });
await build({
  entryPoints: ["src/main.ts"],
  outfile: "dist/main.js",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: true,
  // Workspace packages ship TypeScript source, so they are bundled; every other bare import is external.
  plugins: [
    {
      name: "externalize-dependencies",
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (args) =>
          args.path.startsWith("@trellis/") ? undefined : { path: args.path, external: true },
        );
      },
    },
  ],
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: "warning",
});
// Migrations are read at run time from beside the bundle.
cpSync("../../packages/db/drizzle", "dist/drizzle", { recursive: true });
