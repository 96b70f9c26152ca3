import { act, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { controlledRunner, networkError, renderSignedIn } from "../../test/app";
import { KEPT_UNTIL_RELOAD } from "../intents/intent-paths";
import { ChangePasswordPage } from "./ChangePasswordPage";

const current = "correct horse battery";
const next = "staple paper clip 42";

async function fillAndSubmit(user: ReturnType<typeof userEvent.setup>) {
  await user.type(screen.getByLabelText("Current password"), current);
  await user.type(screen.getByLabelText("New password"), next);
  await user.type(screen.getByLabelText("Repeat the new password"), next);
  await user.click(screen.getByRole("button", { name: "Change password" }));
}

describe("ChangePasswordPage", () => {
  it("sends the change as one intent that never reaches storage, and resends it with the same key", async () => {
    const user = userEvent.setup();
    const { runner, sent } = controlledRunner(localStorage);
    renderSignedIn(<ChangePasswordPage />, { runner });
    await fillAndSubmit(user);

    expect(sent).toHaveLength(1);
    expect(sent[0]!.intent).toMatchObject({ path: "auth.changePassword", input: { currentPassword: current, newPassword: next } });
    // Nothing was written while it was on its way: a reload now forgets it, passwords and all.
    expect(sent[0]!.storedAtSend).toEqual([]);
    expect(screen.getByRole("button", { name: "Changing…" })).toHaveProperty("disabled", true);

    await act(async () => sent[0]!.reject(networkError()));
    expect(screen.getByRole("alert").textContent).toContain(KEPT_UNTIL_RELOAD);
    expect(localStorage.length).toBe(0);

    // Trying again is the same intent: the server replays it if the first one had landed.
    await user.click(screen.getByRole("button", { name: "Change password" }));
    expect(sent).toHaveLength(2);
    expect(sent[1]!.intent.key).toBe(sent[0]!.intent.key);
    await act(async () => sent[1]!.resolve({ ok: true, sessionsRevoked: 2 }));
    expect(screen.getByRole("status").textContent).toContain("Password changed. 2 other sessions were signed out.");
    expect((screen.getByLabelText("Current password") as HTMLInputElement).value).toBe("");
    expect(localStorage.length).toBe(0);
  });

  it("starts a new intent when the passwords change after a refusal", async () => {
    const user = userEvent.setup();
    const { runner, sent } = controlledRunner(localStorage);
    renderSignedIn(<ChangePasswordPage />, { runner });
    await fillAndSubmit(user);
    const wrongPassword = Object.assign(new Error("The current password is incorrect"), {
      data: { httpStatus: 400, reason: "CURRENT_PASSWORD_INCORRECT", fieldErrors: { currentPassword: ["The current password is incorrect"] } },
    });
    await act(async () => sent[0]!.reject(wrongPassword));
    expect(screen.getByText("The current password is incorrect")).toBeTruthy();
    await user.type(screen.getByLabelText("Current password"), "!");
    await user.click(screen.getByRole("button", { name: "Change password" }));
    expect(sent).toHaveLength(2);
    expect(sent[1]!.intent.key).not.toBe(sent[0]!.intent.key);
    expect(sent[1]!.intent.input).toEqual({ currentPassword: `${current}!`, newPassword: next });
  });

  it("checks the repeated password before sending anything", async () => {
    const user = userEvent.setup();
    const { runner, sent } = controlledRunner(localStorage);
    renderSignedIn(<ChangePasswordPage />, { runner });
    await user.type(screen.getByLabelText("Current password"), current);
    await user.type(screen.getByLabelText("New password"), next);
    await user.type(screen.getByLabelText("Repeat the new password"), `${next}?`);
    await user.click(screen.getByRole("button", { name: "Change password" }));
    expect(screen.getByText("The passwords do not match")).toBeTruthy();
    expect(sent).toEqual([]);
  });
});
