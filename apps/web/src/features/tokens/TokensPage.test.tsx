import { act, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { controlledRunner, networkError, renderSignedIn } from "../../test/app";
import { TokensPage } from "./TokensPage";

const secret = `trellis_pat_${"s".repeat(43)}`;
const created = (token: string | null) => ({
  id: "t1",
  name: "Nightly export",
  prefix: secret.slice(0, 18),
  scope: "read" as const,
  createdAt: new Date(),
  expiresAt: new Date(Date.now() + 86_400_000),
  lastUsedAt: null,
  revokedAt: null,
  token,
});

describe("TokensPage", () => {
  it("creates a token as one intent kept in memory only, and shows its secret once", async () => {
    const user = userEvent.setup();
    const { runner, sent } = controlledRunner(localStorage);
    renderSignedIn(<TokensPage />, { runner });
    await user.type(screen.getByLabelText("Name"), "Nightly export");
    await user.click(screen.getByRole("button", { name: "Create token" }));
    expect(sent[0]!.intent).toMatchObject({ path: "token.create", input: { name: "Nightly export", scope: "read", expiresInDays: 30 } });
    expect(sent[0]!.storedAtSend).toEqual([]);

    // No answer: trying again sends the same key, so the server cannot make a second token.
    await act(async () => sent[0]!.reject(networkError()));
    await user.click(screen.getByRole("button", { name: "Create token" }));
    expect(sent[1]!.intent.key).toBe(sent[0]!.intent.key);

    await act(async () => sent[1]!.resolve(created(secret)));
    expect((screen.getByTestId("secret-value") as HTMLInputElement).value).toBe(secret);
    expect(localStorage.length).toBe(0);
  });

  it("says so when the creation was a replay, whose secret is not sent again", async () => {
    const user = userEvent.setup();
    const { runner, sent } = controlledRunner(localStorage);
    renderSignedIn(<TokensPage />, { runner });
    await user.type(screen.getByLabelText("Name"), "Nightly export");
    await user.click(screen.getByRole("button", { name: "Create token" }));
    await act(async () => sent[0]!.resolve(created(null)));
    expect(screen.queryByTestId("secret-once")).toBeNull();
    expect(screen.getByText(/This token was already created by an earlier attempt/)).toBeTruthy();
  });
});
