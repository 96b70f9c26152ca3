import { startTestServer, type TestServer } from "@trellis/server/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { assertPrerequisites, launchChromium, pageFactory, resultsDir, signIn, webDist } from "./browser";

// API tokens, the admin pages and their refusals, in the built dashboard in Chromium.
let server: TestServer;
let browser: Browser;
const pages = pageFactory(() => browser);
const { pageErrors, newPage } = pages;

beforeAll(async () => {
  assertPrerequisites();
  server = await startTestServer({ webDist });
  browser = await launchChromium();
});
afterAll(async () => {
  await pages.close();
  await browser?.close();
  await server?.close();
});

const nav = (page: Page) => page.getByRole("navigation", { name: "Main" });
const rest = (path: string, token: string, init: RequestInit = {}) =>
  fetch(`${server.url}/api/v1${path}`, { ...init, headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...init.headers } });

describe("API tokens page", () => {
  it("creates a token shown once, which works against REST until it is revoked", async () => {
    const page = await newPage();
    await signIn(page, server, "editor");
    await nav(page).getByRole("link", { name: "API tokens" }).click();
    await page.getByRole("heading", { name: "API tokens" }).waitFor();

    await page.getByLabel("Name").fill("Nightly export");
    await page.getByLabel("Access").selectOption("read+write");
    await page.getByLabel("Expires in (days)").fill("7");
    await page.getByRole("button", { name: "Create token" }).click();

    const shown = page.getByTestId("secret-once");
    await shown.waitFor();
    await expect(shown.textContent()).resolves.toContain("you won't see it again");
    const token = await page.getByTestId("secret-value").inputValue();
    expect(token).toMatch(/^trellis_pat_[A-Za-z0-9_-]{43}$/);
    mkdirSync(resultsDir, { recursive: true });
    await page.screenshot({ path: join(resultsDir, "api-token-created.png"), fullPage: true });

    // The token works like curl would use it: reads and (read+write) writes on REST.
    const me = await rest("/auth/me", token);
    expect(me.status).toBe(200);
    expect(((await me.json()) as { email: string }).email).toBe(server.users.editor.email);
    const created = await rest("/projects", token, { method: "POST", headers: { "idempotency-key": crypto.randomUUID() }, body: JSON.stringify({ name: "Made by a script" }) });
    expect(created.status).toBe(200);

    // Shown once: after a reload only its prefix is listed, now with a last use.
    await page.reload();
    const row = page.getByTestId("token-Nightly export");
    await row.waitFor();
    expect(await page.getByTestId("secret-once").count()).toBe(0);
    expect(await page.content()).not.toContain(token);
    await expect(row.textContent()).resolves.toContain(token.slice(0, 18));
    await expect(row.textContent()).resolves.not.toContain("Never");

    page.once("dialog", (dialog) => void dialog.accept());
    await row.getByRole("button", { name: "Revoke" }).click();
    await row.getByText("revoked").waitFor();
    const refused = await rest("/auth/me", token);
    expect(refused.status).toBe(401);
    expect(pageErrors).toEqual([]);
  });
});

describe("admin pages", () => {
  it("hides Users and Audit from non-admins, and the API refuses them", async () => {
    const page = await newPage();
    await signIn(page, server, "editor");
    await nav(page).getByRole("link", { name: "API tokens" }).waitFor();
    expect(await nav(page).getByRole("link", { name: "Audit" }).count()).toBe(0);
    expect(await nav(page).getByRole("link", { name: "Users" }).count()).toBe(0);
    await page.goto(`${server.url}/admin/audit`);
    await page.getByText("This page is for admins").waitFor();
    const api = await page.request.get(`${server.url}/trpc/audit.list?input=${encodeURIComponent(JSON.stringify({ json: {} }))}`);
    expect(api.status()).toBe(403);
    const csv = await page.request.get(`${server.url}/api/v1/audit/export.csv`);
    expect(csv.status()).toBe(403);
  });

  it("invites a user with a temporary password shown once, and deactivates them", async () => {
    const page = await newPage();
    await signIn(page, server, "admin");
    await nav(page).getByRole("link", { name: "Users" }).click();
    await page.getByLabel("Email").fill("new.hire@test.local");
    await page.getByLabel("Name").fill("New Hire");
    await page.getByLabel("Role", { exact: true }).selectOption("editor");
    await page.getByRole("button", { name: "Invite" }).click();
    const password = await page.getByTestId("secret-value").inputValue();
    expect(password.length).toBeGreaterThanOrEqual(12);
    const login = await fetch(`${server.url}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "new.hire@test.local", password }),
    });
    expect(login.status).toBe(200);
    const session = ((await login.json()) as { token: string }).token;

    const row = page.getByTestId("user-new.hire@test.local");
    page.once("dialog", (dialog) => void dialog.accept());
    await row.getByRole("button", { name: "Deactivate" }).click();
    await row.getByText("deactivated").waitFor();
    expect((await rest("/auth/me", session)).status).toBe(401);
    expect(pageErrors).toEqual([]);
  });

  it("filters the audit log and exports the same rows as CSV", async () => {
    const page = await newPage();
    await signIn(page, server, "admin");
    await nav(page).getByRole("link", { name: "Audit" }).click();
    await page.getByRole("table", { name: "Audit log" }).waitFor();

    await page.getByLabel("Action").selectOption("token_created");
    await page.waitForURL((url) => url.searchParams.get("action") === "token_created");
    const rows = page.getByRole("table", { name: "Audit log" }).locator("tbody tr");
    await rows.first().waitFor();
    await expect.poll(() => page.locator("tbody tr:not([data-action='token_created'])").count()).toBe(0);
    await page.screenshot({ path: join(resultsDir, "audit-filtered.png"), fullPage: true });
    const shown = await rows.count();
    expect(shown).toBeGreaterThan(0);

    await page.getByLabel("Actor").selectOption({ label: "Test editor" });
    await page.waitForURL((url) => url.searchParams.get("actor") === server.users.editor.id);

    const href = await page.getByRole("link", { name: "Export CSV" }).getAttribute("href");
    const url = new URL(href!, server.url);
    expect(url.pathname).toBe("/api/v1/audit/export.csv");
    expect(url.searchParams.get("action")).toBe("token_created");
    expect(url.searchParams.get("actorId")).toBe(server.users.editor.id);
    // The link works with the page's session cookie.
    const csv = await page.request.get(url.toString());
    expect(csv.status()).toBe(200);
    expect(csv.headers()["content-type"]).toMatch(/^text\/csv/);
    const lines = (await csv.text()).trimEnd().split("\n");
    expect(lines[0]).toMatch(/^time,source,action,actor_id/);
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines.slice(1)) expect(line).toContain(`,auth,token_created,${server.users.editor.id},`);
    expect(pageErrors).toEqual([]);
  });
});
