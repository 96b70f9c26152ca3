import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { startTestServer, type TestServer } from "@trellis/server/testing";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertPrerequisites, launchChromium, pageFactory, resultsDir, signIn, webDist } from "./browser";

// Proof 7 of issue 10, in the built dashboard: select 30 projects, bulk archive as a job, watch
// its progress bar reach 100 %, read the report, undo by bulk restore, and find the jobs on the
// Jobs page. The server runs jobs in-process (`jobs: true`).

let server: TestServer;
let browser: Browser;
let editorToken: string;
const pages = pageFactory(() => browser);
const { pageErrors, newPage } = pages;
const run = Date.now().toString(36);
const tag = `bk${run}`;
const COUNT = 30;

interface ProjectJson {
  id: string;
  name: string;
  version: number;
  archivedAt: string | null;
}

async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(`${server.url}/api/v1${path}`, {
    ...init,
    headers: { "content-type": "application/json", authorization: `Bearer ${editorToken}`, ...init.headers },
  });
  if (!res.ok) throw new Error(`${init.method ?? "GET"} ${path} failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** The seeded projects as the server has them now, archived ones included. */
async function seededProjects(): Promise<ProjectJson[]> {
  const page = await api<{ items: ProjectJson[] }>(`/projects?q=${tag}&includeArchived=true&limit=100`);
  return page.items;
}

/**
 * Waits until `bar` says 100 %, reading its aria-valuenow as it goes: the values seen must never
 * go down. Returns them.
 */
async function watchProgress(bar: Locator): Promise<number[]> {
  await bar.waitFor();
  const seen: number[] = [];
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const value = await bar.getAttribute("aria-valuenow");
    if (value !== null && Number(value) !== seen.at(-1)) seen.push(Number(value));
    if (value === "100") return seen;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`the progress bar never reached 100 % (saw ${seen.join(", ")})`);
}

const isSorted = (values: number[]) => values.every((v, i) => i === 0 || v >= values[i - 1]!);

beforeAll(async () => {
  assertPrerequisites();
  server = await startTestServer({ webDist, jobs: true });
  editorToken = await server.tokenFor("editor");
  for (let i = 1; i <= COUNT; i++) {
    await api("/projects", {
      method: "POST",
      headers: { "idempotency-key": randomUUID() },
      body: JSON.stringify({ name: `${tag} project ${String(i).padStart(2, "0")}`, status: "active" }),
    });
  }
  browser = await launchChromium();
});

afterAll(async () => {
  await pages.close();
  await browser?.close();
  await server?.close();
});

describe("bulk changes as jobs in Chromium", () => {
  it("archives 30 selected projects as a job with live progress and a report, then undoes it by a bulk restore", async () => {
    const page: Page = await newPage();
    await signIn(page, server, "editor", `/projects?q=${tag}`);
    const rowBoxes = page.getByRole("checkbox", { name: new RegExp(`^Select ${tag} project`) });
    await rowBoxes.nth(COUNT - 1).waitFor();
    expect(await rowBoxes.count()).toBe(COUNT);

    // Select the page: every row, each at the version shown.
    await page.getByRole("checkbox", { name: "Select all shown" }).check();
    const bar = page.getByRole("region", { name: "Bulk actions" });
    await bar.getByText(`${COUNT} selected`).waitFor();
    await bar.getByRole("button", { name: "Archive" }).click();

    // The job's progress, live, to 100 %; then its report.
    const panel = page.getByRole("region", { name: "Bulk change" });
    const archiveSeen = await watchProgress(panel.getByRole("progressbar", { name: "Bulk archive progress" }));
    expect(isSorted(archiveSeen)).toBe(true);
    await panel.getByRole("heading", { name: "Bulk archive — Succeeded" }).waitFor();
    const report = panel.getByRole("list", { name: "Report" });
    await report.waitFor();
    expect(await report.locator('[data-outcome="applied"]').textContent()).toBe(`${COUNT} applied`);
    expect(await report.locator('[data-outcome="conflict"]').textContent()).toBe("0 conflicts");
    mkdirSync(resultsDir, { recursive: true });
    await page.screenshot({ path: join(resultsDir, "bulk-archive-report.png"), fullPage: true });

    // Archived projects leave the list (it hides archived ones); the server agrees, each changed once.
    await page.getByText("No projects match.").waitFor();
    const archived = await seededProjects();
    expect(archived).toHaveLength(COUNT);
    expect(archived.every((p) => p.archivedAt !== null && p.version === 2)).toBe(true);
    const archiveJobHref = await panel.getByRole("link", { name: "View the report" }).getAttribute("href");
    expect(archiveJobHref).toMatch(/^\/jobs\/[0-9a-f-]{36}$/);

    // Undo: a bulk restore of exactly those projects, at the versions the archive left.
    await panel.getByRole("button", { name: "Undo" }).click();
    const restoreSeen = await watchProgress(panel.getByRole("progressbar", { name: "Bulk restore progress" }));
    expect(isSorted(restoreSeen)).toBe(true);
    await panel.getByRole("heading", { name: "Undo: Bulk restore — Succeeded" }).waitFor();
    await panel.getByRole("list", { name: "Report" }).locator('[data-outcome="applied"]').filter({ hasText: `${COUNT} applied` }).waitFor();
    expect(await panel.getByRole("button", { name: "Undo" }).count()).toBe(0);
    await rowBoxes.nth(COUNT - 1).waitFor();
    expect(await rowBoxes.count()).toBe(COUNT);
    const restored = await seededProjects();
    expect(restored.every((p) => p.archivedAt === null && p.version === 3)).toBe(true);

    // The Jobs page lists both, succeeded; the archive's page has its report and audit trail.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Jobs" }).click();
    await page.waitForURL((url) => url.pathname === "/jobs");
    const jobs = page.getByRole("table", { name: "Jobs" });
    await jobs.locator('tbody tr[data-state="succeeded"]').nth(1).waitFor();
    expect(await jobs.locator("tbody tr").count()).toBe(2);
    // Each job says what it did (the view carries its change), newest first.
    expect(await jobs.locator("tbody tr").nth(0).textContent()).toContain("Bulk restore");
    expect(await jobs.locator("tbody tr").nth(1).textContent()).toContain("Bulk archive");
    for (const row of await jobs.locator("tbody tr").all()) {
      expect(await row.textContent()).toContain("Succeeded");
      expect(await row.getByRole("progressbar").getAttribute("aria-valuenow")).toBe("100");
    }
    await page.screenshot({ path: join(resultsDir, "jobs-page.png"), fullPage: true });

    await jobs.locator(`a[href="${archiveJobHref}"]`).click();
    await page.waitForURL((url) => url.pathname === archiveJobHref);
    await page.getByRole("heading", { name: /Succeeded/ }).waitFor();
    await page.getByTestId("count-applied").filter({ hasText: String(COUNT) }).waitFor();
    expect((await page.getByTestId("count-conflict").textContent())?.trim()).toBe("0");
    await page.getByRole("table", { name: "Report" }).locator('tbody tr[data-outcome="applied"]').nth(COUNT - 1).waitFor();
    const trail = page.getByRole("list", { name: "Audit trail" }).locator(":scope > li");
    await trail.nth(COUNT - 1).waitFor();
    expect(await trail.count()).toBe(COUNT);
    expect(await trail.first().textContent()).toContain("Archived");
    await page.screenshot({ path: join(resultsDir, "job-detail.png"), fullPage: true });

    expect(pageErrors).toEqual([]);
  });

  it("shows viewers no selection and no bulk actions", async () => {
    const page = await newPage();
    await signIn(page, server, "viewer", `/projects?q=${tag}`);
    await page.getByRole("link", { name: `${tag} project 01` }).waitFor();
    expect(await page.getByRole("checkbox", { name: /^Select/ }).count()).toBe(0);
    expect(await page.getByRole("region", { name: "Bulk actions" }).count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
