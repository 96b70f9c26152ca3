import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { defaultRetryPolicy } from "@trellis/client";
import { startTestServer, type TestServer } from "@trellis/server/testing";
import type { Browser, Page, Request, Route } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INTENT_STORAGE_PREFIX } from "../src/features/intents/pending-intents";
import { assertPrerequisites, launchChromium, pageFactory, resultsDir, signIn, webDist } from "./browser";

// One user intent, one effect: double submits, dropped responses and reloads mid-save in the
// built dashboard, checked against the server through REST.

let server: TestServer;
let browser: Browser;
let editorToken: string;
const pages = pageFactory(() => browser);
const run = Date.now().toString(36);

interface ProjectJson {
  id: string;
  name: string;
  version: number;
}

async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(`${server.url}/api/v1${path}`, {
    ...init,
    headers: { "content-type": "application/json", authorization: `Bearer ${editorToken}`, ...init.headers },
  });
  if (!res.ok) throw new Error(`${init.method ?? "GET"} ${path} failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Every project with exactly this name, as the server has them. */
async function projectsNamed(name: string): Promise<ProjectJson[]> {
  const page = await api<{ items: ProjectJson[] }>(`/projects?q=${encodeURIComponent(name)}&limit=50`);
  return page.items.filter((p) => p.name === name);
}

const isTrpcCall = (path: string) => (url: URL) => url.pathname === `/trpc/${path}`;
const isCreate = isTrpcCall("project.create");
const isUpdate = isTrpcCall("project.update");
const keyOf = (request: Request) => request.headers()["idempotency-key"] ?? "(none)";

/** The intents the page has persisted and not yet confirmed. */
function storedIntentKeys(page: Page): Promise<string[]> {
  return page.evaluate(
    (prefix) => Object.keys(localStorage).filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length)),
    INTENT_STORAGE_PREFIX,
  );
}

/** A gate a route handler can wait at until the test opens it. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

beforeAll(async () => {
  assertPrerequisites();
  server = await startTestServer({ webDist });
  editorToken = await server.tokenFor("editor");
  browser = await launchChromium();
});

afterAll(async () => {
  await pages.close();
  await browser?.close();
  await server?.close();
});

describe("exactly-once mutations in the dashboard", () => {
  it("makes one project from a double-clicked, resubmitted create form", async () => {
    const name = `Once ${run} double`;
    const page = await pages.newPage();
    await signIn(page, server, "editor", "/projects/new");

    // Hold the first create at the network until every duplicate submit has been tried,
    // so they all happen while it is in flight.
    const keys: string[] = [];
    const held = gate();
    await page.route(isCreate, async (route: Route) => {
      keys.push(keyOf(route.request()));
      await held.opened;
      await route.continue();
    });

    await page.getByLabel("Name", { exact: true }).fill(name);
    await page.getByLabel("Tags").fill("twice");
    await page.getByRole("button", { name: "Create project" }).dblclick();
    await page.keyboard.press("Enter");
    // Submit again past the disabled button, as a script or a stuck key would.
    await page.locator("form").evaluate((form: HTMLFormElement) => {
      form.requestSubmit();
      form.requestSubmit();
    });
    held.open();

    await page.waitForURL(/\/projects\/[0-9a-f-]{36}$/);
    await page.getByRole("heading", { name }).waitFor();
    expect(keys.length).toBeGreaterThanOrEqual(1);
    expect(new Set(keys).size).toBe(1);
    expect(await projectsNamed(name)).toHaveLength(1);
    expect(await storedIntentKeys(page)).toEqual([]);
  });

  it("re-sends a create whose response was lost, after a reload, with the same key", async () => {
    const name = `Once ${run} dropped`;
    const page = await pages.newPage();
    await signIn(page, server, "editor", "/projects/new");

    // The first attempt reaches the server and commits, but its response is cut off; every
    // retry of it fails before reaching the server. The page cannot know the project exists.
    const sent: string[] = [];
    await page.route(isCreate, async (route: Route) => {
      sent.push(keyOf(route.request()));
      if (sent.length === 1) await route.fetch();
      await route.abort("connectionreset");
    });
    await page.getByLabel("Name", { exact: true }).fill(name);
    await page.getByRole("button", { name: "Create project" }).click();
    await page.getByText("Could not reach the server").waitFor();
    await page.getByText("Your change is kept on this device").waitFor();
    mkdirSync(resultsDir, { recursive: true });
    await page.screenshot({ path: join(resultsDir, "create-response-lost.png"), fullPage: true });

    expect(sent).toHaveLength(defaultRetryPolicy.attempts);
    const [key] = sent;
    expect(new Set(sent)).toEqual(new Set([key]));
    expect(await projectsNamed(name)).toHaveLength(1);
    expect(await storedIntentKeys(page)).toEqual([key]);

    // Reload with the network back. The re-send is held until the banner has shown it.
    await page.unroute(isCreate);
    const resent: string[] = [];
    const held = gate();
    await page.route(isCreate, async (route: Route) => {
      resent.push(keyOf(route.request()));
      await held.opened;
      await route.continue();
    });
    const replayed = page.waitForResponse((res) => isCreate(new URL(res.url())));
    await page.reload();

    const banner = page.getByRole("status", { name: "Unsaved changes" });
    await banner.getByText("Retrying 1 unsaved change…").waitFor();
    expect(await banner.textContent()).toContain(`Create project “${name}”`);
    await page.screenshot({ path: join(resultsDir, "pending-intent-retrying.png"), fullPage: true });
    held.open();
    await banner.getByText("Saved", { exact: true }).waitFor();
    await page.screenshot({ path: join(resultsDir, "pending-intent-saved.png"), fullPage: true });
    expect(await banner.textContent()).toContain("it had already reached the server");

    expect(resent).toEqual([key]);
    expect((await replayed).headers()["idempotent-replayed"]).toBe("true");
    const projects = await projectsNamed(name);
    expect(projects).toHaveLength(1);
    expect(await storedIntentKeys(page)).toEqual([]);

    // The dashboard shows it: the banner links to it, and the list has it once.
    await banner.getByRole("link", { name: "View" }).click();
    await page.waitForURL((url) => url.pathname === `/projects/${projects[0]!.id}`);
    await page.getByRole("heading", { name }).waitFor();
    await page.goto(`${server.url}/projects?q=${encodeURIComponent(name)}`);
    await page.getByText("Showing 1 project").waitFor();
    expect(await page.getByRole("row").filter({ hasText: name }).count()).toBe(1);
  });

  it("lands an edit save once when its response is dropped and the save is retried", async () => {
    const created = await api<ProjectJson>("/projects", {
      method: "POST",
      headers: { "idempotency-key": randomUUID() },
      body: JSON.stringify({ name: `Once ${run} edit`, status: "planning" }),
    });
    const renamed = `Once ${run} edit renamed`;
    const page = await pages.newPage();
    await signIn(page, server, "editor", `/projects/${created.id}/edit`);
    await page.getByText("Editing version 1").waitFor();

    // The first save commits on the server and its response is lost; the retry goes through.
    const keys: string[] = [];
    await page.route(isUpdate, async (route: Route) => {
      keys.push(keyOf(route.request()));
      if (keys.length === 1) {
        await route.fetch();
        await route.abort("connectionreset");
      } else {
        await route.continue();
      }
    });
    await page.getByLabel("Name", { exact: true }).fill(renamed);
    await page.getByLabel("Status").selectOption("active");
    await page.getByRole("button", { name: "Save changes" }).click();

    await page.waitForURL((url) => url.pathname === `/projects/${created.id}`);
    await page.getByRole("heading", { name: renamed }).waitFor();
    // Without the shared key the retry would have been refused as a conflict with its own write.
    await page.getByText("Already saved").waitFor();
    expect(await page.getByTestId("project-version").textContent()).toBe("2");
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);

    const project = await api<ProjectJson>(`/projects/${created.id}`);
    expect(project).toMatchObject({ name: renamed, version: 2 });
    const activity = await api<{ items: Array<{ action: string; version: number }> }>(`/projects/${created.id}/activity`);
    expect(activity.items.filter((e) => e.action === "updated")).toEqual([expect.objectContaining({ version: 2 })]);
    expect(activity.items.map((e) => e.action).sort()).toEqual(["created", "updated"]);
    const updatedInUi = page.getByRole("list", { name: "Activity" }).getByRole("listitem").filter({ hasText: "Updated by" });
    await updatedInUi.first().waitFor();
    expect(await updatedInUi.count()).toBe(1);
  });

  it("threw no uncaught errors in the page", () => {
    expect(pages.pageErrors).toEqual([]);
  });
});
