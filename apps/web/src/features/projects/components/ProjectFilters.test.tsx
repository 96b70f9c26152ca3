import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { testUser } from "../../../test/app";
import { DEFAULT_SORT, type ListState } from "../lib/list-params";
import { ProjectFilters } from "./ProjectFilters";

const ADMIN = { id: "00000000-0000-4000-8000-00000000000a", name: "Test admin" };
const VIEWER = { id: "00000000-0000-4000-8000-00000000000b", name: "Test viewer" };
const plain: ListState = { status: undefined, ownerId: undefined, q: "", sort: DEFAULT_SORT, includeArchived: false };

/** `users: null`: user.list has not answered yet. */
function renderFilters(state: Partial<ListState> = {}, users: Array<{ id: string; name: string }> | null = [ADMIN, testUser, VIEWER]) {
  const onChange = vi.fn();
  const view = render(<ProjectFilters state={{ ...plain, ...state }} users={users ?? undefined} user={testUser} onChange={onChange} />);
  return { onChange, ...view };
}

const optionTexts = (label: string) => Array.from((screen.getByLabelText(label) as HTMLSelectElement).options, (o) => o.textContent);

describe("ProjectFilters", () => {
  it("shows the list state it is given", () => {
    renderFilters({ status: "active", ownerId: VIEWER.id, q: "apollo", sort: "name_asc", includeArchived: true });
    expect(screen.getByRole("search")).toBeTruthy();
    expect((screen.getByLabelText("Status") as HTMLSelectElement).value).toBe("active");
    expect((screen.getByLabelText("Owner") as HTMLSelectElement).value).toBe(VIEWER.id);
    expect((screen.getByLabelText("Search") as HTMLInputElement).value).toBe("apollo");
    expect((screen.getByLabelText("Sort") as HTMLSelectElement).value).toBe("name_asc");
    expect((screen.getByLabelText("Include archived") as HTMLInputElement).checked).toBe(true);
  });

  it("offers anyone, me, then the other users as owners, and keeps an owner from a shared link visible", () => {
    const { unmount } = renderFilters();
    expect(optionTexts("Owner")).toEqual(["Anyone", "Me (Test editor)", "Test admin", "Test viewer"]);
    unmount();
    // The users have not loaded (or the owner is unknown): the selected owner is still an option.
    renderFilters({ ownerId: "12345678-0000-4000-8000-000000000000" }, null);
    expect(optionTexts("Owner")).toEqual(["Anyone", "Me (Test editor)", "User 12345678…"]);
    expect((screen.getByLabelText("Owner") as HTMLSelectElement).value).toBe("12345678-0000-4000-8000-000000000000");
  });

  it("reports each change as a list-state change", async () => {
    const user = userEvent.setup();
    const { onChange } = renderFilters({ status: "active" });
    await user.selectOptions(screen.getByLabelText("Status"), "on_hold");
    await user.selectOptions(screen.getByLabelText("Status"), "");
    await user.selectOptions(screen.getByLabelText("Owner"), "Test viewer");
    await user.selectOptions(screen.getByLabelText("Owner"), "Anyone");
    await user.selectOptions(screen.getByLabelText("Sort"), "Name A–Z");
    await user.click(screen.getByLabelText("Include archived"));
    expect(onChange.mock.calls).toEqual([
      [{ status: "on_hold" }],
      [{ status: undefined }],
      [{ ownerId: VIEWER.id }],
      [{ ownerId: undefined }],
      [{ sort: "name_asc" }],
      [{ includeArchived: true }],
    ]);
  });

  it("searches once the typing pauses, replacing the history entry", async () => {
    const user = userEvent.setup();
    const { onChange } = renderFilters();
    await user.type(screen.getByLabelText("Search"), "apollo");
    expect(onChange).not.toHaveBeenCalled();
    await waitFor(() => expect(onChange).toHaveBeenCalled());
    expect(onChange.mock.calls).toEqual([[{ q: "apollo" }, { replace: true }]]);
  });

  it("takes in a search changed from outside (the back button) without searching again", async () => {
    const { onChange, rerender } = renderFilters({ q: "apollo" });
    rerender(<ProjectFilters state={{ ...plain, q: "borealis" }} users={[]} user={testUser} onChange={onChange} />);
    await waitFor(() => expect((screen.getByLabelText("Search") as HTMLInputElement).value).toBe("borealis"));
    await new Promise((r) => setTimeout(r, 400));
    expect(onChange).not.toHaveBeenCalled();
  });
});
