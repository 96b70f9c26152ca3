import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestServer } from "@trellis/server/testing";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { onTestFailed } from "vitest";

// Shared by the browser tests: they drive the built dashboard (apps/web/dist), served by a real
// server, in Debian's Chromium.
export const CHROMIUM = "/usr/bin/chromium";
export const webDist = fileURLToPath(new URL("../dist", import.meta.url));
export const resultsDir = fileURLToPath(new URL("../test-results", import.meta.url));

export function assertPrerequisites() {
  if (!existsSync(join(webDist, "index.html"))) {
    throw new Error(`${webDist}/index.html is missing: run \`pnpm --filter @trellis/web build\` before this test.`);
  }
  // A missing browser fails the suite (in CI and locally alike): a skipped browser test proves nothing.
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM}; the dashboard browser test needs it. ` +
        "Install it with `apt-get install chromium` (or `node scripts/ensure-chromium.mjs` from the repo root).",
    );
  }
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
}

/**
 * Pages in fresh contexts (no shared cookies or storage), each collecting uncaught page errors
 * and saving a screenshot when its test fails. `close()` closes them all.
 */
export function pageFactory(browser: () => Browser) {
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  return {
    pageErrors,
    async newPage(): Promise<Page> {
      const context = await browser().newContext({ viewport: { width: 1280, height: 860 } });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      page.on("pageerror", (error) => pageErrors.push(error.message));
      onTestFailed(async () => {
        mkdirSync(resultsDir, { recursive: true });
        await page.screenshot({ path: join(resultsDir, `failure-${Date.now()}.png`), fullPage: true }).catch(() => {});
      });
      return page;
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => {});
    },
  };
}

export async function signIn(page: Page, server: TestServer, role: keyof TestServer["users"], path = "/projects") {
  await page.goto(`${server.url}${path}`);
  await page.waitForURL((url) => url.pathname === "/login");
  await page.getByLabel("Email").fill(server.users[role].email);
  await page.getByLabel("Password").fill(server.users[role].password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => `${url.pathname}${url.search}` === path);
}

/**
 * Waits until the page's live-updates stream has started. A stream starts at the newest change,
 * so a test that makes a change for an open page to notice must wait for this first.
 */
export async function waitForLive(page: Page) {
  await page.locator('[data-testid="live-status"][data-status="live"]').waitFor();
}
