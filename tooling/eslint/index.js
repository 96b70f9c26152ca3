// The workspace's lint rules: typescript-eslint with type information, plus the rules that
// encode Trellis's conventions (../../shared/CONVENTIONS.md). Each package's eslint.config.js
// spreads `base`, and adds `react` (the dashboard) or `siblingApp` (apps that may use the
// public entry points of packages only).
import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

const tests = ["**/*.test.ts", "**/*.test.tsx", "**/test/**", "**/e2e/**"];

/** Every package. */
export const base = tseslint.config(
  { ignores: ["dist/**", "coverage/**", "test-results/**", "drizzle/**", "**/*.js", "**/*.mjs"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
      "@typescript-eslint/no-non-null-assertion": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
      // Configuration is read in one place (packages/config), validated, and handed down.
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "Read configuration through @trellis/config (loadConfig), the only reader of process.env." },
      ],
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@trellis/*/src/*", "**/packages/*/src/*", "../../packages/*"],
              message: "Import a workspace package through its public entry points (its package.json exports), never its files.",
            },
          ],
        },
      ],
    },
  },
  {
    // Tests may assert on what they just wrote (`rows[0]!`): a failed lookup fails the test anyway;
    // and on answers of any shape (`body: any`), which the assertions then pin down.
    files: tests,
    rules: { "@typescript-eslint/no-non-null-assertion": "off", "@typescript-eslint/no-explicit-any": "off" },
  },
);

/** The dashboard: React hooks rules. */
export const react = tseslint.config({
  files: ["**/*.tsx", "**/*.ts"],
  plugins: { "react-hooks": reactHooks },
  rules: {
    "react-hooks/rules-of-hooks": "error",
    "react-hooks/exhaustive-deps": "error",
  },
});

/**
 * Sibling apps (apps/web, apps/cli) talk to the API through @trellis/client and the browser-safe
 * schemas only: at run time, nothing of the router's server code.
 */
export const siblingApp = tseslint.config({
  files: ["src/**/*.ts", "src/**/*.tsx"],
  rules: {
    "no-restricted-imports": [
      "error",
      {
        paths: [
          { name: "@trellis/api", allowTypeImports: true, message: "Sibling apps import @trellis/client (and types or @trellis/api/schemas), not the router." },
          { name: "@trellis/db", allowTypeImports: true, message: "Sibling apps never touch the database." },
          { name: "@trellis/kv", allowTypeImports: true, message: "Sibling apps never touch the cache." },
        ],
        patterns: [
          {
            group: ["@trellis/*/src/*", "**/packages/*/src/*", "../../packages/*"],
            message: "Import a workspace package through its public entry points (its package.json exports), never its files.",
          },
        ],
      },
    ],
  },
});

/** The one package allowed to read the environment. */
export const configPackage = tseslint.config({
  files: ["src/env.ts"],
  rules: { "no-restricted-properties": "off" },
});
