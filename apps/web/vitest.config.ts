import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    environment: "node",
    include: ["src/**/*.test.ts", "e2e/**/*.e2e.test.ts"],
    // The browser test starts a server and Chromium; give it room on slow machines.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
