import { cleanup } from "@testing-library/react";
import { afterEach } from "vitest";

// Testing Library unmounts after each test by itself only when the runner's globals are on.
afterEach(cleanup);

// jsdom has <dialog> but not its modal behaviour: open it the way a browser would, minus the top layer.
if (typeof HTMLDialogElement.prototype.showModal !== "function") {
  HTMLDialogElement.prototype.showModal = function showModal(this: HTMLDialogElement) {
    this.open = true;
  };
  HTMLDialogElement.prototype.close = function close(this: HTMLDialogElement) {
    this.open = false;
  };
}

// Each test starts with an empty localStorage (pending intents live there).
afterEach(() => localStorage.clear());
