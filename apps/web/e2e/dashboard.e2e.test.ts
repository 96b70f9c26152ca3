import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { startTestServer, type TestServer } from "@trellis/server/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertPrerequisites, launchChromium, pageFactory, resultsDir, signIn as signInAs, waitForLive, webDist } from "./browser";

// Drives the built dashboard (apps/web/dist) served by a real server in Debian's Chromium.
let server: TestServer;
let browser: Browser;
let editorToken: string;
const pages = pageFactory(() => browser);
const { pageErrors, newPage } = pages;
const run = Date.now().toString(36);

/** REST writes need an Idempotency-Key: one fresh key per intent. */
const restHeaders = () => ({
  "content-type": "application/json",
  authorization: `Bearer ${editorToken}`,
  "idempotency-key": randomUUID(),
});

/** Seeds through REST so the list has varied rows (one of them overdue). */
async function seedProject(body: Record<string, unknown>): Promise<{ id: string; version: number }> {
  const res = await fetch(`${server.url}/api/v1/projects`, {
    method: "POST",
    headers: restHeaders(),
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`seeding failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string; version: number };
}

async function patchProject(id: string, expectedVersion: number, patch: Record<string, unknown>) {
  const res = await fetch(`${server.url}/api/v1/projects/${id}`, {
    method: "PATCH",
    headers: restHeaders(),
    body: JSON.stringify({ expectedVersion, patch }),
  });
  if (!res.ok) throw new Error(`patch failed: ${res.status} ${await res.text()}`);
}

function signIn(page: Page, role: "editor" | "viewer", path = "/projects") {
  return signInAs(page, server, role, path);
}

/** The header navigation (breadcrumbs also link to Projects). */
async function nav(page: Page, link: "Projects" | "Stats") {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: link }).click();
}

const detailUrl = /\/projects\/[0-9a-f-]{36}$/;

beforeAll(async () => {
  assertPrerequisites();
  server = await startTestServer({ webDist });
  editorToken = await server.tokenFor("editor");
  const seeded = [
    { name: "Borealis Rollout", status: "active", tags: ["infra", "q3"], budgetCents: 4_200_000, dueDate: "2031-03-01" },
    { name: "Cobalt Audit", status: "planning", tags: ["security"], budgetCents: 850_000, dueDate: "2020-06-30" },
    { name: "Delta Cleanup", status: "on_hold", tags: [], budgetCents: null, dueDate: null },
    { name: "Ember Launch", status: "completed", tags: ["frontend", "customer"], budgetCents: 12_500_050, dueDate: "2021-01-15" },
  ];
  for (const body of seeded) await seedProject({ ...body, description: `${body.name} (seeded for the browser test)` });
  browser = await launchChromium();
});

afterAll(async () => {
  await pages.close();
  await browser?.close();
  await server?.close();
});

describe("dashboard in Chromium", () => {
  const name = `E2E Apollo ${run}`;
  const renamed = `E2E Apollo ${run} renamed`;

  it("signs in as an editor, creates, lists, opens, edits a project and shows the activity", async () => {
    const page = await newPage();

    // Signed out: any page sends you to /login and back afterwards. Wrong password: one generic message.
    await page.goto(`${server.url}/projects?status=active`);
    await page.waitForURL((url) => url.pathname === "/login" && url.searchParams.get("next") === "/projects?status=active");
    await page.getByLabel("Email").fill(server.users.editor.email);
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").filter({ hasText: "Email or password is incorrect" }).waitFor();
    await page.getByLabel("Password").fill(server.users.editor.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => url.pathname === "/projects" && url.searchParams.get("status") === "active");
    expect(await page.getByTestId("current-user").textContent()).toContain("Test editor");
    // The URL filter is applied: only the active seeded project is listed.
    await page.getByRole("link", { name: "Borealis Rollout" }).waitFor();
    expect(await page.getByRole("link", { name: "Cobalt Audit" }).count()).toBe(0);
    expect(await page.getByLabel("Status").inputValue()).toBe("active");

    // Create: client-side validation with the server's schema, then a real create.
    await page.getByRole("link", { name: "New project" }).click();
    await page.waitForURL((url) => url.pathname === "/projects/new");
    await page.getByLabel("Budget (USD)").fill("12.345");
    await page.getByRole("button", { name: "Create project" }).click();
    await page.getByText("Name is required").waitFor();
    await page.getByText("Use at most two decimal places").waitFor();

    await page.getByLabel("Name", { exact: true }).fill(name);
    await page.getByLabel("Description").fill("Created by the browser test");
    await page.getByLabel("Status").selectOption("active");
    await page.getByLabel("Tags").fill("e2e, browser");
    await page.getByLabel("Budget (USD)").fill("1234.50");
    await page.getByLabel("Due date").fill("2030-01-15");
    await page.getByRole("button", { name: "Create project" }).click();
    await page.waitForURL(detailUrl);
    await page.getByRole("heading", { name }).waitFor();
    expect(await page.getByRole("definition").filter({ hasText: "$1,234.50" }).count()).toBe(1);
    expect(await page.getByTestId("project-version").textContent()).toBe("1");
    const projectPath = new URL(page.url()).pathname;

    // The list shows it.
    await nav(page, "Projects");
    const row = page.getByRole("row").filter({ hasText: name });
    await row.waitFor();
    const rowText = await row.textContent();
    expect(rowText).toContain("$1,234.50");
    expect(rowText).toContain("Active");
    expect(rowText).toContain("e2e");
    expect(rowText).toContain("v1");

    // Search is debounced into the URL and survives a reload.
    await page.getByLabel("Status").selectOption("");
    await page.getByLabel("Search").fill(run);
    await page.waitForURL((url) => url.searchParams.get("q") === run);
    await page.reload();
    await page.getByRole("row").filter({ hasText: name }).waitFor();
    expect(await page.getByLabel("Search").inputValue()).toBe(run);
    expect(await page.getByRole("link", { name: "Borealis Rollout" }).count()).toBe(0);

    // Screenshot of the whole list (filters cleared), overdue row included.
    await page.goto(`${server.url}/projects`);
    await page.getByRole("link", { name: "Cobalt Audit" }).waitFor();
    const overdueRow = page.getByRole("row").filter({ hasText: "Cobalt Audit" });
    expect(await overdueRow.textContent()).toContain("Overdue");
    mkdirSync(resultsDir, { recursive: true });
    await page.screenshot({ path: join(resultsDir, "projects-list.png"), fullPage: true });

    // Open it and edit name and status.
    await page.getByRole("link", { name }).click();
    await page.waitForURL((url) => url.pathname === projectPath);
    await page.getByRole("link", { name: "Edit" }).click();
    await page.waitForURL((url) => url.pathname === `${projectPath}/edit`);
    expect(await page.getByLabel("Name", { exact: true }).inputValue()).toBe(name);
    expect(await page.getByLabel("Budget (USD)").inputValue()).toBe("1234.50");
    await page.getByLabel("Name", { exact: true }).fill(renamed);
    await page.getByLabel("Status").selectOption("on_hold");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.waitForURL((url) => url.pathname === projectPath);
    await page.getByRole("heading", { name: renamed }).waitFor();
    expect(await page.getByTestId("project-version").textContent()).toBe("2");

    const updated = page.getByRole("list", { name: "Activity" }).getByRole("listitem").filter({ hasText: "Updated by Test editor" });
    await updated.waitFor();
    const updatedText = await updated.textContent();
    expect(updatedText).toContain(`Name: ${name} → ${renamed}`);
    expect(updatedText).toContain("Status: Active → On hold");
    expect(updatedText).not.toContain("Budget");
    await page.getByRole("list", { name: "Activity" }).getByRole("listitem").filter({ hasText: "Created by Test editor" }).waitFor();
    await page.screenshot({ path: join(resultsDir, "project-detail.png"), fullPage: true });
  });

  it("announces a concurrent edit, reports the save as a conflict and loads the latest version", async () => {
    const project = await seedProject({ name: `Conflict ${run}`, status: "planning" });
    const page = await newPage();
    await signIn(page, "editor", `/projects/${project.id}/edit`);
    await page.getByText("Editing version 1").waitFor();
    await waitForLive(page);

    // Someone else saves first; the open editor says so and keeps its base version.
    await patchProject(project.id, 1, { name: `Conflict ${run} theirs` });
    await page.getByText("Changed by Test editor just now (now version 2)").waitFor();
    expect(await page.getByTestId("base-version").textContent()).toBe("Editing version 1");

    // Saving anyway opens the merge dialog (both changed the name); dropping mine loads theirs.
    await page.getByLabel("Name", { exact: true }).fill(`Conflict ${run} mine`);
    await page.getByRole("button", { name: "Save changes" }).click();
    const dialog = page.getByRole("dialog", { name: "Merge your changes" });
    await dialog.getByTestId("merge-row-name").getByRole("radio", { name: `Keep mine: Conflict ${run} mine` }).waitFor();
    mkdirSync(resultsDir, { recursive: true });
    await page.screenshot({ path: join(resultsDir, "edit-conflict.png"), fullPage: true });
    await dialog.getByRole("button", { name: "Discard my changes" }).click();
    await page.getByText("Editing version 2").waitFor();
    expect(await page.getByLabel("Name", { exact: true }).inputValue()).toBe(`Conflict ${run} theirs`);
    expect(await dialog.count()).toBe(0);

    // Archive from the detail page uses the shown version.
    await page.getByRole("link", { name: "Cancel" }).click();
    await page.getByRole("button", { name: "Archive" }).click();
    await page.getByRole("button", { name: "Restore" }).waitFor();
    await page.getByRole("list", { name: "Activity" }).getByRole("listitem").filter({ hasText: "Archived by Test editor" }).waitFor();
  });

  it("pages with Load more and keeps sort and filters in the URL", async () => {
    const prefix = `Bulk ${run}`;
    for (let i = 0; i < 52; i++) await seedProject({ name: `${prefix} ${String(i).padStart(2, "0")}`, status: "planning" });
    const page = await newPage();
    await signIn(page, "editor", "/projects");
    await page.getByLabel("Sort").selectOption("name_asc");
    await page.getByLabel("Search").fill(prefix);
    await page.waitForURL((url) => url.searchParams.get("q") === prefix && url.searchParams.get("sort") === "name_asc");
    const rows = page.getByRole("row").filter({ hasText: prefix });
    await page.getByText("Showing 50 projects").waitFor();
    expect(await rows.first().textContent()).toContain(`${prefix} 00`);
    await page.getByRole("button", { name: "Load more" }).click();
    await page.getByText("Showing 52 projects").waitFor();
    expect(await rows.last().textContent()).toContain(`${prefix} 51`);
    expect(await page.getByRole("button", { name: "Load more" }).count()).toBe(0);

    // An unmatched search says so.
    await page.getByLabel("Search").fill(`${prefix} nothing like this`);
    await page.getByText("No projects match").waitFor();
  });

  it("shows a viewer no write controls", async () => {
    const page = await newPage();
    await signIn(page, "viewer", "/projects?q=Borealis");
    expect(await page.getByTestId("current-user").textContent()).toContain("viewer");
    await page.getByRole("link", { name: "Borealis Rollout" }).click();
    await page.waitForURL(detailUrl);
    await page.getByRole("heading", { name: "Borealis Rollout" }).waitFor();
    await page.getByRole("list", { name: "Activity" }).waitFor();
    expect(await page.getByRole("link", { name: "Edit" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Archive" }).count()).toBe(0);
    await nav(page, "Projects");
    await page.getByRole("table").waitFor();
    expect(await page.getByRole("link", { name: "New project" }).count()).toBe(0);

    // Unknown pages and projects say so.
    await page.goto(`${server.url}/no/such/page`);
    await page.getByRole("heading", { name: "Page not found" }).waitFor();
    await page.goto(`${server.url}/projects/00000000-0000-4000-8000-000000000000`);
    await page.getByRole("heading", { name: "No such project" }).waitFor();

    // Stats render for everyone; sign out returns to the login page.
    await nav(page, "Stats");
    await page.getByRole("heading", { name: "Projects by status" }).waitFor();
    mkdirSync(resultsDir, { recursive: true });
    await page.screenshot({ path: join(resultsDir, "stats.png"), fullPage: true });
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL((url) => url.pathname === "/login");
    await page.goto(`${server.url}/stats`);
    await page.waitForURL((url) => url.pathname === "/login" && url.searchParams.get("next") === "/stats");
  });

  it("picks owners from the user list in the forms and the list filter", async () => {
    const owned = `Owned ${run}`;
    const page = await newPage();
    await signIn(page, "editor", "/projects/new");
    const ownerOptions = page.locator("#project-owner option");
    await ownerOptions.filter({ hasText: "Test viewer" }).waitFor({ state: "attached" });
    // No owner on the create form means "me"; everyone else is listed by name.
    expect(await ownerOptions.allTextContents()).toEqual(["Me (Test editor)", "Test admin", "Test viewer"]);
    await page.getByLabel("Name", { exact: true }).fill(owned);
    await page.getByLabel("Owner").selectOption({ label: "Test viewer" });
    await page.getByRole("button", { name: "Create project" }).click();
    await page.waitForURL(detailUrl);
    const ownerOnDetail = page.locator("dt:text-is('Owner') + dd");
    await page.getByRole("heading", { name: owned }).waitFor();
    expect(await ownerOnDetail.textContent()).toBe("Test viewer");

    // The edit form starts at the current owner and reassigns by name.
    await page.getByRole("link", { name: "Edit" }).click();
    await ownerOptions.filter({ hasText: "Test admin" }).waitFor({ state: "attached" });
    expect(await page.getByLabel("Owner").inputValue()).toBe(server.users.viewer.id);
    await page.getByLabel("Owner").selectOption({ label: "Test admin" });
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByTestId("project-version").filter({ hasText: "2" }).waitFor();
    expect(await ownerOnDetail.textContent()).toBe("Test admin");

    // The list's owner filter offers the same users and goes into the URL.
    await page.goto(`${server.url}/projects?q=${encodeURIComponent(owned)}`);
    await page.getByRole("row").filter({ hasText: owned }).waitFor();
    await page.locator("#filter-owner option").filter({ hasText: "Test viewer" }).waitFor({ state: "attached" });
    expect(await page.locator("#filter-owner option").allTextContents()).toEqual(["Anyone", "Me (Test editor)", "Test admin", "Test viewer"]);
    await page.getByLabel("Owner").selectOption({ label: "Me (Test editor)" });
    await page.waitForURL((url) => url.searchParams.get("owner") === server.users.editor.id);
    await page.getByText("No projects match").waitFor();
    await page.getByLabel("Owner").selectOption({ label: "Test admin" });
    await page.waitForURL((url) => url.searchParams.get("owner") === server.users.admin.id);
    await page.getByRole("row").filter({ hasText: owned }).waitFor();
  });

  it("threw no uncaught errors in the page", () => {
    expect(pageErrors).toEqual([]);
  });
});
