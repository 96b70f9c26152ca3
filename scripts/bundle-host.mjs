// Bundles a host app (apps/server, apps/worker), the workspace packages it uses (they ship
// TypeScript) and their third-party dependencies into dist/main.js, so the bundle resolves its own
// imports: nobody has to repeat a workspace package's dependencies there. Only packages that cannot
// be bundled stay external and load from node_modules at run time; they, and only they, are the
// app's `dependencies` (everything bundled is a devDependency). The build checks both directions.
// Run from the app's directory (its build.mjs calls this).
import { cpSync, readFileSync, rmSync } from "node:fs";
import { builtinModules } from "node:module";
import { fileURLToPath } from "node:url";

/** Imports left unresolved on purpose: nothing reaches them at run time, so they are not dependencies. */
const optional = {
  "pg-native": "pg (under pg-boss) requires it only for pg.native, which pg-boss never uses",
};

const migrations = fileURLToPath(new URL("../packages/db/drizzle", import.meta.url));

/**
 * @param {{ app: string, external: Record<string, string>, build: typeof import("esbuild").build }} options
 *   `app` names the package in messages; `external` maps each package that must load from
 *   node_modules to why; `build` is esbuild's, passed in because esbuild is the app's dev dependency.
 */
export async function bundleHost({ app, external, build }) {
  rmSync("dist", { recursive: true, force: true });
  const result = await build({
    metafile: true,
    entryPoints: ["src/main.ts"],
    outfile: "dist/main.js",
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    // Stack traces map to the sources in the tree (`--enable-source-maps`); the map does not carry
    // a copy of them (a third of the size, and a faster start).
    sourcemap: true,
    sourcesContent: false,
    external: [...Object.keys(external), ...Object.keys(optional)],
    // Bundled CommonJS packages call require() for Node built-ins and read __dirname/__filename.
    banner: {
      js: [
        "import { createRequire as __trellisCreateRequire } from 'node:module';",
        "import { fileURLToPath as __trellisFileURLToPath } from 'node:url';",
        "const require = __trellisCreateRequire(import.meta.url);",
        "const __filename = __trellisFileURLToPath(import.meta.url);",
        "const __dirname = __trellisFileURLToPath(new URL('.', import.meta.url));",
      ].join(" "),
    },
    logLevel: "warning",
  });

  // `dependencies` must be exactly what the bundle leaves external: a missing one fails the first
  // start (resolved from the app's node_modules), a superfluous one was bundled anyway.
  const packageOf = (spec) => spec.split("/").slice(0, spec.startsWith("@") ? 2 : 1).join("/");
  const imported = new Set(
    Object.values(result.metafile.outputs).flatMap((o) =>
      o.imports
        .filter((i) => i.external && !i.path.startsWith("node:") && !builtinModules.includes(i.path))
        .map((i) => packageOf(i.path))
        .filter((name) => !(name in optional)),
    ),
  );
  const declared = new Set(Object.keys(JSON.parse(readFileSync("package.json", "utf8")).dependencies ?? {}));
  const problems = [
    ...[...imported].filter((name) => !declared.has(name)).map((name) => `dist/main.js imports ${name}: add it to ${app} dependencies`),
    ...[...declared].filter((name) => !imported.has(name)).map((name) => `${name} is bundled (or unused): move it from ${app} dependencies to devDependencies`),
  ];
  if (problems.length > 0) {
    console.error(problems.join("\n"));
    process.exit(1);
  }

  // Migrations are read at run time from beside the bundle.
  cpSync(migrations, "dist/drizzle", { recursive: true });
}
