/**
 * Router state a form passes to the page it navigates to after saving, so that page can say
 * quietly that the save had already reached the server (the result was a replay).
 */
export interface SavedState {
  saved: "replayed";
}

export function savedState(replayed: boolean): SavedState | undefined {
  return replayed ? { saved: "replayed" } : undefined;
}

export function wasReplayed(state: unknown): boolean {
  return typeof state === "object" && state !== null && (state as Partial<SavedState>).saved === "replayed";
}
