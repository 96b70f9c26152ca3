import type { Project } from "@trellis/api/schemas";
import { fireEvent, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { ComponentProps } from "react";
import { describe, expect, it, vi } from "vitest";
import { applyPatch, buildMergeView } from "../lib/merge-view";
import { MergeDialog } from "./MergeDialog";

const EVE = "0b7c1f7e-8a4a-4c55-9f43-2d1a3f7d9b10";
const BO = "1c8d2e8f-9b5b-4d66-8a54-3e2b4a8e0c21";
const base: Project = {
  id: "6f1c1b9e-3f4e-4d55-9a43-2d1a3f7d9b10",
  name: "Apollo",
  description: "Move it",
  status: "planning",
  ownerId: EVE,
  ownerName: "Eve",
  tags: ["backend", "q3"],
  budgetCents: 1000,
  dueDate: "2026-05-01",
  createdAt: new Date("2026-01-01T00:00:00Z"),
  updatedAt: new Date("2026-01-01T00:00:00Z"),
  archivedAt: null,
  version: 1,
};
// They (v2) changed the status, the owner and the tags; I changed the name, the status (otherwise) and the tags.
const theirs: Project = { ...base, status: "active", ownerId: BO, ownerName: "Bo", tags: ["backend", "q3", "urgent"], version: 2 };
const mine = applyPatch(base, { name: "Apollo (mine)", status: "on_hold", tags: ["backend"] });
const view = buildMergeView(base, mine, theirs);
const ownerNames = new Map([
  [EVE, "Eve"],
  [BO, "Bo"],
]);

function renderDialog(props: Partial<ComponentProps<typeof MergeDialog>> = {}) {
  const handlers = { onSave: vi.fn(), onDiscardMine: vi.fn(), onBack: vi.fn() };
  render(<MergeDialog view={view} theirNames={["Test admin"]} again={false} saving={false} errors={undefined} ownerNames={ownerNames} {...handlers} {...props} />);
  return { ...handlers, dialog: screen.getByRole("dialog", { name: "Merge your changes" }) };
}

const cells = (row: HTMLElement) => within(row).getAllByRole("cell").map((cell) => cell.textContent);

describe("MergeDialog", () => {
  it("opens as a modal that says who saved what, and lists only the fields that changed", () => {
    const { dialog } = renderDialog();
    expect((dialog as HTMLDialogElement).open).toBe(true);
    expect(dialog.textContent).toContain("While you were editing, Test admin saved version 2.");
    expect(within(dialog).getByTestId("merge-summary").textContent).toBe(
      "Merged automatically: Name (yours), Owner (theirs), Tags (both). You both changed Status: choose which to keep.",
    );
    expect(within(dialog).getByRole("columnheader", { name: "Theirs · version 2 by Test admin" })).toBeTruthy();
    expect(cells(within(dialog).getByTestId("merge-row-name"))).toEqual(["Apollo", "Apollo (mine)", "Apollo", "Yours (only you changed it)"]);
    expect(cells(within(dialog).getByTestId("merge-row-ownerId"))).toEqual(["Eve", "Eve", "Bo", "Theirs (only they changed it)"]);
    expect(cells(within(dialog).getByTestId("merge-row-tags"))).toEqual(["backend, q3", "backend", "backend, q3, urgent", "Both: tags merged as a set: backend, urgent"]);
    expect(within(dialog).getByTestId("merge-row-status").className).toBe("merge-conflict");
    expect(within(dialog).queryByTestId("merge-row-budgetCents")).toBeNull();
    expect(dialog.textContent).toContain("Fields not listed are unchanged on both sides.");
  });

  it("saves only once every field both changed has a choice, with those choices", async () => {
    const user = userEvent.setup();
    const { dialog, onSave } = renderDialog();
    const save = within(dialog).getByRole("button", { name: "Save merged" }) as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    expect(save.title).toBe("Choose a value for Status");
    const status = within(dialog).getByTestId("merge-row-status");
    expect(within(status).getAllByRole("radio")).toHaveLength(2);
    expect(within(status).getByRole("radio", { name: "Keep mine: On hold" })).toBeTruthy();
    await user.click(within(status).getByRole("radio", { name: "Take theirs: Active" }));
    expect(save.disabled).toBe(false);
    await user.click(save);
    expect(onSave).toHaveBeenCalledWith({ status: "theirs" });
  });

  it("goes back to the form on Escape", () => {
    const first = renderDialog();
    fireEvent(first.dialog, new Event("cancel", { cancelable: true }));
    expect(first.onBack).toHaveBeenCalledTimes(1);
  });

  it("holds still while saving, and says why a merged save failed", () => {
    const { dialog, onBack } = renderDialog({ saving: true, errors: ["Could not reach the server.", "Your change is kept."] });
    const cancel = new Event("cancel", { cancelable: true });
    fireEvent(dialog, cancel);
    expect(cancel.defaultPrevented).toBe(true);
    expect(onBack).not.toHaveBeenCalled();
    expect(within(dialog).getByRole("button", { name: "Saving…" })).toHaveProperty("disabled", true);
    for (const name of ["Discard my changes", "Back to editing"]) expect(within(dialog).getByRole("button", { name })).toHaveProperty("disabled", true);
    for (const radio of within(dialog).getAllByRole("radio")) expect(radio).toHaveProperty("disabled", true);
    const alert = within(dialog).getByRole("alert");
    expect(alert.textContent).toBe("The merged changes were not savedCould not reach the server.Your change is kept.");
  });

  it("says so when the merge is a second round", async () => {
    const user = userEvent.setup();
    const { dialog, onDiscardMine } = renderDialog({ again: true, theirNames: [] });
    expect(dialog.textContent).toContain("It changed again while you were merging: Someone else saved version 2.");
    await user.click(within(dialog).getByRole("button", { name: "Discard my changes" }));
    expect(onDiscardMine).toHaveBeenCalledTimes(1);
  });
});
