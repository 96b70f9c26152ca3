// Bundles the host and the workspace packages it uses into dist/main.js; third-party
// packages stay external (native argon2, PGlite's wasm) and load from node_modules.
import { cpSync, existsSync, rmSync } from "node:fs";
import { builtinModules } from "node:module";
import { build } from "esbuild";

rmSync("dist", { recursive: true, force: true });
const result = await build({
  metafile: true,
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
// The bundle resolves third-party imports from apps/server/node_modules, so every package a
// workspace package imports must also be a dependency here. Fail the build, not the first start.
const packageOf = (spec) => spec.split("/").slice(0, spec.startsWith("@") ? 2 : 1).join("/");
const externals = new Set(
  Object.values(result.metafile.outputs).flatMap((o) =>
    o.imports
      .filter((i) => i.external && !i.path.startsWith("node:") && !builtinModules.includes(i.path))
      .map((i) => packageOf(i.path)),
  ),
);
const missing = [...externals].filter((name) => !existsSync(`node_modules/${name}/package.json`));
if (missing.length > 0) {
  console.error(`apps/server must depend on ${missing.join(", ")} (imported by workspace packages it bundles)`);
  process.exit(1);
}

// Migrations are read at run time from beside the bundle.
cpSync("../../packages/db/drizzle", "dist/drizzle", { recursive: true });
