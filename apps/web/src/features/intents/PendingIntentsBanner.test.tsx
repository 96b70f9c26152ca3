import { act, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { apiError, controlledRunner, networkError, renderSignedIn, testUser } from "../../test/app";
import { createPendingIntentStore, INTENT_STORAGE_PREFIX, type PendingIntent } from "./pending-intents";
import { PendingIntentsBanner } from "./PendingIntentsBanner";

const now = Date.now();
function pending(overrides: Partial<PendingIntent> & Pick<PendingIntent, "key" | "label">): PendingIntent {
  return { path: "project.create", input: { name: overrides.label }, userId: testUser.id, createdAt: now, ...overrides };
}

/** Intents left unconfirmed by an earlier page (a reload mid-save). */
function leftBehind(...intents: PendingIntent[]) {
  const store = createPendingIntentStore(localStorage);
  for (const intent of intents) store.save(intent);
}

const storedKeys = () => Object.keys(localStorage).filter((k) => k.startsWith(INTENT_STORAGE_PREFIX));
const project = (id: string) => ({ id, name: id, version: 1 });

describe("PendingIntentsBanner", () => {
  it("shows nothing when nothing was left unsaved", () => {
    const { runner, sent } = controlledRunner(localStorage);
    const { container } = renderSignedIn(<PendingIntentsBanner />, { runner });
    expect(container.innerHTML).toBe("");
    expect(sent).toEqual([]);
  });

  it("re-sends what was left, oldest first with its own key, and says what was saved", async () => {
    leftBehind(
      pending({ key: "k-late", label: "Create project “B”", createdAt: now - 1_000 }),
      pending({ key: "k-early", label: "Archive project “A”", path: "project.archive", input: { id: "p-a", expectedVersion: 3 }, createdAt: now - 5_000 }),
      // Someone else's on this browser is not sent for this user.
      pending({ key: "k-theirs", label: "Create project “Theirs”", userId: "someone-else" }),
    );
    const { runner, sent } = controlledRunner(localStorage);
    renderSignedIn(<PendingIntentsBanner />, { runner });

    const banner = await screen.findByRole("status", { name: "Unsaved changes" });
    expect(within(banner).getByText("Retrying 2 unsaved changes…")).toBeTruthy();
    expect(banner.textContent).toContain("Archive project “A” — saving…");
    expect(banner.textContent).toContain("Create project “B” — saving…");
    expect(banner.textContent).not.toContain("Theirs");
    // One at a time, in the order they were made.
    expect(sent.map((s) => s.intent.key)).toEqual(["k-early"]);

    sent[0]!.meta.replayed = true;
    await act(async () => sent[0]!.resolve(project("p-a")));
    expect(sent.map((s) => s.intent.key)).toEqual(["k-early", "k-late"]);
    expect(within(banner).getByText("Retrying 1 unsaved change…")).toBeTruthy();
    await act(async () => sent[1]!.resolve(project("p-b")));

    expect(within(banner).getByText("Saved", { exact: true })).toBeTruthy();
    const [first, second] = within(banner).getAllByRole("listitem");
    expect(first!.textContent).toBe("Archive project “A” — saved (it had already reached the server). View");
    expect(within(first!).getByRole("link", { name: "View" }).getAttribute("href")).toBe("/projects/p-a");
    expect(second!.textContent).toBe("Create project “B” — saved. View");
    expect(storedKeys()).toEqual([`${INTENT_STORAGE_PREFIX}k-theirs`]);
  });

  it("keeps what may be sent again, drops what was refused, and re-sends the kept one with the same key on Try again", async () => {
    const user = userEvent.setup();
    leftBehind(
      pending({ key: "k-net", label: "Create project “Offline”", createdAt: now - 2_000 }),
      pending({ key: "k-bad", label: "Create project “Invalid”", createdAt: now - 1_000 }),
    );
    const { runner, sent } = controlledRunner(localStorage);
    renderSignedIn(<PendingIntentsBanner />, { runner });
    await screen.findByRole("status", { name: "Unsaved changes" });
    await act(async () => sent[0]!.reject(networkError()));
    await act(async () => sent[1]!.reject(apiError(400, "VALIDATION_FAILED", "Name is required")));

    const banner = screen.getByRole("alert", { name: "Unsaved changes" });
    expect(within(banner).getByText("Could not save 2 unsaved changes")).toBeTruthy();
    const [kept, dropped] = within(banner).getAllByRole("listitem");
    expect(kept!.textContent).toContain("Create project “Offline” — not saved: Could not reach the server.");
    expect(kept!.textContent).toContain("It is kept and sent again next time.");
    expect(dropped!.textContent).toContain("Create project “Invalid” — not saved: Name is required It was dropped.");
    expect(within(dropped!).queryByRole("button", { name: "Discard" })).toBeNull();
    expect(storedKeys()).toEqual([`${INTENT_STORAGE_PREFIX}k-net`]);

    await user.click(within(banner).getByRole("button", { name: "Try again" }));
    expect(sent.map((s) => s.intent.key)).toEqual(["k-net", "k-bad", "k-net"]);
    await act(async () => sent[2]!.reject(networkError()));

    await user.click(within(screen.getByRole("alert", { name: "Unsaved changes" })).getByRole("button", { name: "Discard" }));
    expect(storedKeys()).toEqual([]);
    expect(screen.getByRole("alert", { name: "Unsaved changes" }).textContent).not.toContain("Offline");
    await user.click(screen.getByRole("button", { name: "Dismiss" }));
    expect(screen.queryByRole("alert", { name: "Unsaved changes" })).toBeNull();
  });

  it("links a saved change to where it shows, whatever the mutation", async () => {
    leftBehind(pending({ key: "k-role", label: "Make a@b.c admin", path: "admin.users.setRole", input: { id: "u1", role: "admin" } }));
    const { runner, sent } = controlledRunner(localStorage);
    renderSignedIn(<PendingIntentsBanner />, { runner });
    await screen.findByRole("status", { name: "Unsaved changes" });
    expect(sent[0]!.intent).toMatchObject({ key: "k-role", path: "admin.users.setRole", input: { id: "u1", role: "admin" } });
    await act(async () => sent[0]!.resolve({ ok: true }));
    expect(screen.getByRole("link", { name: "View" }).getAttribute("href")).toBe("/admin/users");
  });
});
