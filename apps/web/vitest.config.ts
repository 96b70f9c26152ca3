import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // The browser tests start a server and Chromium; give them room on slow machines.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    projects: [
      { extends: true, test: { name: "unit", environment: "node", include: ["src/**/*.test.ts"] } },
      // Component tests (Testing Library) render into jsdom.
      {
        extends: true,
        test: { name: "components", environment: "jsdom", include: ["src/**/*.test.tsx"], setupFiles: ["src/test/setup-dom.ts"] },
      },
      { extends: true, test: { name: "e2e", environment: "node", include: ["e2e/**/*.e2e.test.ts"] } },
    ],
  },
});
