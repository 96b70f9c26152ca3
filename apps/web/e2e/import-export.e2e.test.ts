import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { startTestServer, type TestServer } from "@trellis/server/testing";
import type { Browser, Locator } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertPrerequisites, launchChromium, pageFactory, resultsDir, signIn, webDist } from "./browser";

// Proof 6 of issue 11, in the built dashboard: drop a CSV on the import page, fix a column
// mapping, read the dry run's errors, apply, watch its progress and read the report; and export
// the projects list as a CSV job and download the file. The server runs jobs in-process (`jobs: true`).

let server: TestServer;
let browser: Browser;
let editorToken: string;
const pages = pageFactory(() => browser);
const { pageErrors, newPage } = pages;
const run = Date.now().toString(36);
const tag = `ie${run}`;
const COUNT = 12;

async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(`${server.url}/api/v1${path}`, {
    ...init,
    headers: { "content-type": "application/json", authorization: `Bearer ${editorToken}`, ...init.headers },
  });
  if (!res.ok) throw new Error(`${init.method ?? "GET"} ${path} failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Waits until `bar` says 100 %; the values seen on the way must never go down. */
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
      body: JSON.stringify({ name: `${tag} export ${String(i).padStart(2, "0")}`, status: i % 2 === 0 ? "active" : "planning" }),
    });
  }
  browser = await launchChromium();
});

afterAll(async () => {
  await pages.close();
  await browser?.close();
  await server?.close();
});

/**
 * A file from elsewhere: "Project Title" is no alias of a field (the user maps it to name),
 * "Comments" stays unknown; lines 4 and 6 have errors (a status and an amount, a date).
 */
const importCsv = [
  "Project Title,State,Budget,Due,Comments",
  `${tag} import 1,active,"1,250.00",2026-12-31,first`,
  `${tag} import 2,On hold,€300,31.12.2026,second`,
  `${tag} import 3,nope,10,,bad status`,
  `${tag} import 4,planning,,,fourth`,
  `${tag} import 5,active,ten,2026-13-45,bad amount and date`,
  `${tag} import 6,completed,5,,sixth`,
].join("\n");

describe("CSV import and export in Chromium", () => {
  it("imports a dropped CSV: fixes the mapping, shows the dry run's errors, applies it with live progress and reports each row", async () => {
    const page = await newPage();
    await signIn(page, server, "editor", "/projects");
    await page.getByRole("link", { name: "Import CSV" }).click();
    await page.waitForURL((url) => url.pathname === "/projects/import");

    // Dropped on the zone, as a file dragged from the desktop.
    const file = await page.evaluateHandle(
      ({ text, name }) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([text], name, { type: "text/csv" }));
        return transfer;
      },
      { text: importCsv, name: `${tag}.csv` },
    );
    await page.getByTestId("file-drop").dispatchEvent("drop", { dataTransfer: file });
    await page.getByRole("heading", { name: `${tag}.csv` }).waitFor();
    expect(await page.getByTestId("upload-summary").textContent()).toContain("6 rows · 5 columns");
    const unknown = page.getByRole("note", { name: "Unknown columns" });
    expect(await unknown.textContent()).toContain("Project Title, Comments");

    // The suggestion, then the fix: the title column is the name.
    const fieldOf = (column: string) => page.getByRole("combobox", { name: `Field for column ${column}` });
    expect(await fieldOf("State").inputValue()).toBe("status");
    expect(await fieldOf("Budget").inputValue()).toBe("budget");
    expect(await fieldOf("Due").inputValue()).toBe("dueDate");
    expect(await fieldOf("Project Title").inputValue()).toBe("");
    await fieldOf("Project Title").selectOption("name");
    await page.getByRole("button", { name: "Back to the suggested mapping" }).waitFor();

    // The dry run: what each row would do, nothing written; filtered to the errors, by column.
    await page.getByRole("button", { name: "Dry run", exact: true }).click();
    const dry = page.getByRole("region", { name: "Dry run" });
    expect(isSorted(await watchProgress(dry.getByRole("progressbar", { name: "Dry run progress" })))).toBe(true);
    await dry.getByRole("heading", { name: "Dry run — Succeeded" }).waitFor();
    await dry.getByTestId("count-created").filter({ hasText: "4" }).waitFor();
    expect((await dry.getByTestId("count-error").textContent())?.trim()).toBe("2");
    await dry.getByRole("button", { name: /^errors/ }).click();
    const dryRows = dry.getByRole("table", { name: "Import report" }).locator("tbody tr");
    await dryRows.nth(1).waitFor();
    await page.waitForFunction(() => document.querySelectorAll('[aria-label="Import report"] tbody tr:not([data-outcome="error"])').length === 0);
    expect(await dryRows.count()).toBe(2);
    expect(await dryRows.nth(0).locator("td").first().textContent()).toBe("4");
    expect(await dryRows.nth(0).locator('[data-column="State"]').textContent()).toContain("Unknown status");
    expect(await dryRows.nth(1).locator("td").first().textContent()).toBe("6");
    expect(await dryRows.nth(1).locator('[data-column="Budget"]').count()).toBe(1);
    expect(await dryRows.nth(1).locator('[data-column="Due"]').count()).toBe(1);
    mkdirSync(resultsDir, { recursive: true });
    await page.screenshot({ path: join(resultsDir, "import-dry-run.png"), fullPage: true });
    const written = await api<{ items: unknown[] }>(`/projects?q=${tag}%20import&limit=100`);
    expect(written.items).toHaveLength(0);

    // Apply, without overwriting (the default): live progress, then the same report, for real.
    const overwrite = page.getByRole("checkbox", { name: "Overwrite projects changed since the last import" });
    expect(await overwrite.isChecked()).toBe(false);
    await page.getByRole("button", { name: "Apply" }).click();
    const applied = page.getByRole("region", { name: "Import" });
    expect(isSorted(await watchProgress(applied.getByRole("progressbar", { name: "Import progress" })))).toBe(true);
    await applied.getByRole("heading", { name: "Import — Succeeded" }).waitFor();
    await applied.getByTestId("count-created").filter({ hasText: "4" }).waitFor();
    expect((await applied.getByTestId("count-error").textContent())?.trim()).toBe("2");
    expect((await applied.getByTestId("count-conflict").textContent())?.trim()).toBe("0");
    const appliedRows = applied.getByRole("table", { name: "Import report" }).locator("tbody tr");
    await appliedRows.nth(5).waitFor();
    expect(await applied.locator('tbody tr[data-outcome="created"]').count()).toBe(4);
    await page.screenshot({ path: join(resultsDir, "import-applied.png"), fullPage: true });

    const imported = await api<{ items: Array<{ name: string; status: string; budgetCents: number | null; dueDate: string | null }> }>(
      `/projects?q=${tag}%20import&sort=name_asc&limit=100`,
    );
    expect(imported.items.map((p) => p.name)).toEqual([1, 2, 4, 6].map((i) => `${tag} import ${i}`));
    expect(imported.items[0]).toMatchObject({ status: "active", budgetCents: 125_000, dueDate: "2026-12-31" });
    expect(imported.items[1]).toMatchObject({ status: "on_hold", budgetCents: 30_000, dueDate: "2026-12-31" });

    // The job's page has the same report.
    const jobHref = await applied.getByRole("link", { name: "View the job" }).getAttribute("href");
    expect(jobHref).toMatch(/^\/jobs\/[0-9a-f-]{36}$/);
    await applied.getByRole("link", { name: "View the job" }).click();
    await page.waitForURL((url) => url.pathname === jobHref);
    await page.getByRole("heading", { name: /^Import Succeeded/ }).waitFor();
    await page.getByRole("table", { name: "Import report" }).locator('tbody tr[data-outcome="created"]').nth(3).waitFor();
    expect((await page.getByTestId("count-error").textContent())?.trim()).toBe("2");

    expect(pageErrors).toEqual([]);
  });

  it("exports the filtered list as a job with live progress and downloads the file", async () => {
    const page = await newPage();
    // The list filtered to the seeded active ones, by name: the export takes the same filters and sort.
    await signIn(page, server, "editor", `/projects?status=active&q=${tag}+export&sort=name_asc`);
    await page.getByRole("link", { name: `${tag} export 02` }).waitFor();

    await page.getByRole("button", { name: "Export CSV" }).click();
    const panel = page.getByRole("region", { name: "Export" });
    expect(isSorted(await watchProgress(panel.getByRole("progressbar", { name: "Export progress" })))).toBe(true);
    await panel.getByRole("heading", { name: "Export — Succeeded" }).waitFor();
    const download = panel.getByRole("link", { name: "Download" });
    const href = await download.getAttribute("href");
    expect(href).toMatch(/^\/api\/v1\/exports\/[0-9a-f-]{36}\/file$/);
    mkdirSync(resultsDir, { recursive: true });
    await page.screenshot({ path: join(resultsDir, "export-done.png"), fullPage: true });

    // The link's file, with the page's session cookie: the active seeded projects, by name.
    const res = await page.request.get(`${server.url}${href}`);
    expect(res.status()).toBe(200);
    expect(res.headers()["content-type"]).toMatch(/^text\/csv/);
    expect(res.headers()["content-disposition"]).toMatch(/^attachment; filename=".+\.csv"$/);
    const lines = (await res.text()).replace(/^\uFEFF/, "").trim().split(/\r?\n/);
    expect(lines[0]).toBe("id,name,description,status,owner,tags,budget,dueDate,version");
    const names = lines.slice(1).map((line) => line.split(",")[1]);
    expect(names).toEqual(Array.from({ length: COUNT / 2 }, (_, i) => `${tag} export ${String((i + 1) * 2).padStart(2, "0")}`));

    // The Jobs page and the job's own page offer the same download.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Jobs" }).click();
    await page.waitForURL((url) => url.pathname === "/jobs");
    const row = page.getByRole("table", { name: "Jobs" }).locator('tbody tr[data-state="succeeded"]').filter({ hasText: "Export" });
    await row.first().waitFor();
    expect(await row.first().getByRole("link", { name: "Download" }).getAttribute("href")).toBe(href);
    await row.first().getByRole("link", { name: "Export" }).click();
    await page.getByRole("heading", { name: /Export.*Succeeded/ }).waitFor();
    expect(await page.getByRole("region", { name: "Progress" }).getByRole("link", { name: "Download" }).getAttribute("href")).toBe(href);

    expect(pageErrors).toEqual([]);
  });

  it("lets viewers export but not import", async () => {
    const page = await newPage();
    await signIn(page, server, "viewer", "/projects");
    await page.getByRole("button", { name: "Export CSV" }).waitFor();
    expect(await page.getByRole("link", { name: "Import CSV" }).count()).toBe(0);
    await page.goto(`${server.url}/projects/import`);
    await page.getByText("Your role can view projects but not change them.").waitFor();
    expect(await page.getByTestId("file-drop").count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
