import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { startTestServer, type TestServer } from "@trellis/server/testing";
import type { Browser, Page, Route } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertPrerequisites, launchChromium, pageFactory, resultsDir, signIn, waitForLive, webDist } from "./browser";

// No silent overwrites in the built dashboard: live "changed by" notices, the three-way merge
// dialog, Undo and history, with two signed-in people editing the same project. Every outcome is
// checked against the server through REST.

let server: TestServer;
let browser: Browser;
let editorToken: string;
let adminToken: string;
const pages = pageFactory(() => browser);
const run = Date.now().toString(36);

interface ProjectJson {
  id: string;
  name: string;
  status: string;
  tags: string[];
  version: number;
  archivedAt: string | null;
}

interface VersionJson {
  version: number;
  action: string;
  actorName: string;
  changedFields: string[];
  snapshot: { name: string; status: string };
}

async function api<T>(path: string, { token = editorToken, ...init }: RequestInit & { token?: string } = {}): Promise<T> {
  const res = await fetch(`${server.url}/api/v1${path}`, {
    ...init,
    headers: { "content-type": "application/json", authorization: `Bearer ${token}`, ...init.headers },
  });
  if (!res.ok) throw new Error(`${init.method ?? "GET"} ${path} failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

function createProject(body: Record<string, unknown>) {
  return api<ProjectJson>("/projects", { method: "POST", headers: { "idempotency-key": randomUUID() }, body: JSON.stringify(body) });
}

function patchProject(id: string, expectedVersion: number, patch: Record<string, unknown>, token = editorToken) {
  return api<ProjectJson>(`/projects/${id}`, {
    method: "PATCH",
    token,
    headers: { "idempotency-key": randomUUID() },
    body: JSON.stringify({ expectedVersion, patch }),
  });
}

const projectPath = (id: string) => (url: URL) => url.pathname === `/projects/${id}`;
const isTrpcCall = (path: string) => (url: URL) => url.pathname === `/trpc/${path}`;

/** Idempotency keys of the page's project.update requests, in order. */
function updateKeys(page: Page): string[] {
  const keys: string[] = [];
  page.on("request", (request) => {
    if (isTrpcCall("project.update")(new URL(request.url()))) keys.push(request.headers()["idempotency-key"] ?? "(none)");
  });
  return keys;
}

/** Marks the page's document: the mark is gone if the page reloads or navigates for real. */
async function markDocument(page: Page) {
  await page.evaluate(() => {
    (window as unknown as { __sameDocument: boolean }).__sameDocument = true;
  });
}
const isSameDocument = (page: Page) => page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument === true);

beforeAll(async () => {
  assertPrerequisites();
  server = await startTestServer({ webDist });
  editorToken = await server.tokenFor("editor");
  adminToken = await server.tokenFor("admin");
  browser = await launchChromium();
});

afterAll(async () => {
  await pages.close();
  await browser?.close();
  await server?.close();
});

describe("no silent overwrites in the dashboard", () => {
  it("shows A's save live in B's editor, merges B's conflicting save field by field, and undoes the merge", async () => {
    const name = `Merge ${run}`;
    const renamed = `Merge ${run} by B`;
    const { id } = await createProject({ name, status: "planning", tags: ["merge"] });

    // A (editor) and B (admin) open the same project's edit page.
    const a = await pages.newPage();
    const b = await pages.newPage();
    await signIn(a, server, "editor", `/projects/${id}/edit`);
    await signIn(b, server, "admin", `/projects/${id}/edit`);
    await Promise.all([waitForLive(a), waitForLive(b)]);
    await a.getByText("Editing version 1").waitFor();
    await b.getByText("Editing version 1").waitFor();
    await markDocument(b);
    const bKeys = updateKeys(b);

    // A changes the status and saves.
    await a.getByLabel("Status").selectOption("active");
    await a.getByRole("button", { name: "Save changes" }).click();
    await a.waitForURL(projectPath(id));
    await a.getByTestId("project-version").filter({ hasText: /^2$/ }).waitFor();

    // B hears of it before saving, without reloading: who, which version, what changed. B's form
    // keeps its base version and its values (no silent rebase).
    const notice = b.getByRole("status", { name: "Changed elsewhere" });
    await notice.getByText("Changed by Test editor just now (now version 2)").waitFor();
    expect(await notice.textContent()).toContain("Status: Planning → Active");
    expect(await isSameDocument(b)).toBe(true);
    expect(await b.getByTestId("base-version").textContent()).toBe("Editing version 1");
    expect(await b.getByLabel("Status").inputValue()).toBe("planning");
    mkdirSync(resultsDir, { recursive: true });
    await b.screenshot({ path: join(resultsDir, "changed-elsewhere.png") });

    // B keeps editing: renames it, and sets the status too (differently), then saves anyway.
    await b.getByLabel("Name", { exact: true }).fill(renamed);
    await b.getByLabel("Status").selectOption("on_hold");
    await b.getByRole("button", { name: "Save changes" }).click();

    // The save lost to version 2: base, mine and theirs side by side. The name (only B changed
    // it) is merged as B's; the status (both changed it) is asked.
    const dialog = b.getByRole("dialog", { name: "Merge your changes" });
    await dialog.waitFor();
    await dialog.getByText("While you were editing, Test editor saved version 2.").waitFor();
    const summary = await dialog.getByTestId("merge-summary").textContent();
    expect(summary).toContain("Merged automatically: Name (yours).");
    expect(summary).toContain("You both changed Status: choose which to keep.");
    const nameRow = dialog.getByTestId("merge-row-name");
    expect(await nameRow.locator("td").allTextContents()).toEqual([name, renamed, name, "Yours (only you changed it)"]);
    expect(await nameRow.getByRole("radio").count()).toBe(0);
    const statusRow = dialog.getByTestId("merge-row-status");
    expect((await statusRow.locator("td").allTextContents()).slice(0, 3)).toEqual(["Planning", "On hold", "Active"]);
    expect(await statusRow.getByRole("radio").count()).toBe(2);
    // Fields nobody changed are not asked about.
    expect(await dialog.getByTestId("merge-row-tags").count()).toBe(0);
    const saveMerged = dialog.getByRole("button", { name: "Save merged" });
    expect(await saveMerged.isDisabled()).toBe(true);

    await statusRow.getByRole("radio", { name: "Take theirs: Active" }).check();
    expect(await saveMerged.isEnabled()).toBe(true);
    await b.screenshot({ path: join(resultsDir, "merge-dialog.png") });
    await saveMerged.click();

    await b.waitForURL(projectPath(id));
    await b.getByTestId("project-version").filter({ hasText: /^3$/ }).waitFor();
    // B points at the Undo offer, as someone about to use it would; that holds it open.
    const undo = b.getByRole("status", { name: "Undo" });
    await undo.hover();

    // The project holds both people's edits as resolved: B's name, A's status.
    expect(await api<ProjectJson>(`/projects/${id}`)).toMatchObject({ name: renamed, status: "active", version: 3 });
    const history = await api<VersionJson[]>(`/projects/${id}/history`);
    expect(history.map((v) => [v.version, v.action, v.actorName])).toEqual([
      [3, "updated", "Test admin"],
      [2, "updated", "Test editor"],
      [1, "created", "Test editor"],
    ]);
    expect(history[0]!.changedFields).toEqual(["name"]);
    // The merged save was a new intent: its own idempotency key, not the refused save's.
    expect(bKeys).toHaveLength(2);
    expect(new Set(bKeys).size).toBe(2);

    // A's open detail page follows without a reload.
    await a.getByRole("heading", { name: renamed }).waitFor();
    await a.getByTestId("project-version").filter({ hasText: /^3$/ }).waitFor();

    // B undoes the merged save: back to what it was based on (version 2), as a new version.
    expect(await undo.textContent()).toContain(`Saved “${renamed}” (now version 3).`);
    await undo.getByRole("button", { name: "Undo", exact: true }).click();
    await undo.getByText(`Undone: “${renamed}” has the values of version 2 again (now version 4).`).waitFor();
    expect(await api<ProjectJson>(`/projects/${id}`)).toMatchObject({ name, status: "active", version: 4 });
    const afterUndo = await api<VersionJson[]>(`/projects/${id}/history`);
    expect(afterUndo[0]).toMatchObject({ version: 4, action: "reverted", actorName: "Test admin", changedFields: ["name"] });
    expect(afterUndo[0]!.snapshot).toMatchObject(history[1]!.snapshot);
    await b.getByTestId("project-version").filter({ hasText: /^4$/ }).waitFor();
    await a.getByTestId("project-version").filter({ hasText: /^4$/ }).waitFor();
  });

  it("merges again when the merged save loses to yet another change", async () => {
    const name = `Twice ${run}`;
    const { id } = await createProject({ name, status: "planning" });
    const page = await pages.newPage();
    await signIn(page, server, "editor", `/projects/${id}/edit`);
    await page.getByText("Editing version 1").waitFor();
    const keys = updateKeys(page);
    await patchProject(id, 1, { status: "active" }, adminToken);

    await page.getByLabel("Name", { exact: true }).fill(`${name} mine`);
    await page.getByLabel("Status").selectOption("on_hold");
    await page.getByRole("button", { name: "Save changes" }).click();
    const dialog = page.getByRole("dialog", { name: "Merge your changes" });
    await dialog.getByRole("radio", { name: "Keep mine: On hold" }).check();

    // The merged save is held until someone else has saved version 3.
    let second = true;
    await page.route(isTrpcCall("project.update"), async (route: Route) => {
      if (second) {
        second = false;
        await patchProject(id, 2, { status: "completed", description: "late" }, adminToken);
      }
      await route.continue();
    });
    await dialog.getByRole("button", { name: "Save merged" }).click();

    // Merged again: base is what the merged save was based on (2), mine is its result, theirs is 3.
    await dialog.getByText("It changed again while you were merging: Test admin saved version 3.").waitFor();
    expect(await dialog.getByTestId("merge-summary").textContent()).toContain(
      "Merged automatically: Name (yours), Description (theirs). You both changed Status",
    );
    expect((await dialog.getByTestId("merge-row-status").locator("td").allTextContents()).slice(0, 3)).toEqual([
      "Active",
      "On hold",
      "Completed",
    ]);
    await dialog.getByRole("radio", { name: "Keep mine: On hold" }).check();
    await dialog.getByRole("button", { name: "Save merged" }).click();
    await page.waitForURL(projectPath(id));

    expect(await api<ProjectJson & { description: string }>(`/projects/${id}`)).toMatchObject({
      name: `${name} mine`,
      status: "on_hold",
      description: "late",
      version: 4,
    });
    // Three sends, three intents: the first save and each merged save have their own key.
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(3);
  });

  it("updates an open list, detail page and activity as others change projects", async () => {
    const prefix = `Live-${run}`;
    const page = await pages.newPage();
    await signIn(page, server, "viewer", `/projects?q=${prefix}`);
    await waitForLive(page);
    await page.getByText("No projects match").waitFor();
    await markDocument(page);

    const { id } = await createProject({ name: `${prefix} one`, status: "planning" });
    await page.getByRole("link", { name: `${prefix} one` }).waitFor();
    await patchProject(id, 1, { name: `${prefix} uno` }, adminToken);
    await page.getByRole("link", { name: `${prefix} uno` }).waitFor();
    expect(await page.getByRole("link", { name: `${prefix} one` }).count()).toBe(0);

    await page.getByRole("link", { name: `${prefix} uno` }).click();
    await page.waitForURL(projectPath(id));
    await page.getByTestId("project-version").filter({ hasText: /^2$/ }).waitFor();
    await patchProject(id, 2, { status: "active" }, adminToken);
    await page.getByTestId("project-version").filter({ hasText: /^3$/ }).waitFor();
    const activity = page.getByRole("list", { name: "Activity" });
    await activity.locator(":scope > li").filter({ hasText: "v3" }).getByText("Updated by Test admin").waitFor();
    expect(await isSameDocument(page)).toBe(true);
  });

  it("refuses an Undo once someone else changed the project, and says who", async () => {
    const name = `Undo ${run}`;
    const { id } = await createProject({ name, status: "planning" });
    const page = await pages.newPage();
    await signIn(page, server, "editor", `/projects/${id}/edit`);
    await page.getByLabel("Name", { exact: true }).fill(`${name} renamed`);
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.waitForURL(projectPath(id));
    const undo = page.getByRole("status", { name: "Undo" });
    await undo.getByRole("button", { name: "Undo", exact: true }).waitFor();

    // Someone else changes it after the save, before Undo is clicked.
    await patchProject(id, 2, { status: "completed" }, adminToken);
    await undo.getByRole("button", { name: "Undo", exact: true }).click();
    await undo.getByText("Can't undo: Test admin changed it since").waitFor();
    expect(await undo.textContent()).toContain("(now version 3). Nothing was changed.");
    expect(await api<ProjectJson>(`/projects/${id}`)).toMatchObject({ name: `${name} renamed`, status: "completed", version: 3 });
  });

  it("shows what changed under a refused archive and archives the current version on request", async () => {
    const name = `Archive ${run}`;
    const { id } = await createProject({ name, status: "planning" });
    const page = await pages.newPage();
    await signIn(page, server, "editor", `/projects/${id}`);
    await page.getByTestId("project-version").filter({ hasText: /^1$/ }).waitFor();

    // The first archive is held at the network while someone else changes the project.
    let held = true;
    await page.route(isTrpcCall("project.archive"), async (route: Route) => {
      if (held) {
        held = false;
        await patchProject(id, 1, { status: "active", tags: ["late"] }, adminToken);
      }
      await route.continue();
    });
    await page.getByRole("button", { name: "Archive" }).click();
    const notice = page.getByRole("alert").filter({ hasText: "changed this project after you opened it" });
    await notice.getByText("Test admin changed this project after you opened it (now version 2). Nothing was archived.").waitFor();
    const text = await notice.textContent();
    expect(text).toContain("Status: Planning → Active");
    expect(text).toContain("Tags: — → late");
    expect((await api<ProjectJson>(`/projects/${id}`)).archivedAt).toBeNull();

    await notice.getByRole("button", { name: "Archive version 2" }).click();
    await page.getByRole("button", { name: "Restore" }).waitFor();
    const archived = await api<ProjectJson>(`/projects/${id}`);
    expect(archived).toMatchObject({ status: "active", tags: ["late"], version: 3 });
    expect(archived.archivedAt).not.toBeNull();
  });

  it("restores an earlier version from the history page, as a new version", async () => {
    const name = `History ${run}`;
    const { id } = await createProject({ name, status: "planning" });
    await patchProject(id, 1, { name: `${name} v2`, status: "active" });
    await patchProject(id, 2, { status: "completed" }, adminToken);
    const page = await pages.newPage();
    await signIn(page, server, "editor", `/projects/${id}`);
    await page.getByRole("link", { name: "History" }).click();
    await page.waitForURL((url) => url.pathname === `/projects/${id}/history`);

    const versions = page.getByRole("list", { name: "Versions" });
    await versions.getByTestId("version-3").waitFor();
    expect(await versions.locator(":scope > li").count()).toBe(3);
    const v3 = await versions.getByTestId("version-3").textContent();
    expect(v3).toContain("Updated by Test admin");
    expect(v3).toContain("Status: Active → Completed");
    expect(await versions.getByTestId("version-2").textContent()).toContain(`Name: ${name} → ${name} v2`);
    // The current version cannot be restored onto itself.
    expect(await versions.getByTestId("version-3").getByRole("button").count()).toBe(0);

    await versions.getByRole("button", { name: "Restore this version (version 1)" }).click();
    await versions.getByTestId("version-4").getByText("Reverted by Test editor").waitFor();
    expect(await api<ProjectJson>(`/projects/${id}`)).toMatchObject({ name, status: "planning", version: 4 });
    // The restore can be undone like a save.
    expect(await page.getByRole("status", { name: "Undo" }).textContent()).toContain(`Restored version 1 of “${name}” (now version 4).`);
    await page.screenshot({ path: join(resultsDir, "history.png"), fullPage: true });
  });

  it("threw no uncaught errors in the pages", () => {
    expect(pages.pageErrors).toEqual([]);
  });
});
