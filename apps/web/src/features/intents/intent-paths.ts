import type { AppRouter, RouterInputs, RouterOutputs } from "@trellis/api";
import type { AnyMutationProcedure, AnyProcedure } from "@trpc/server";

type MutationPathsOf<TRecord, TPrefix extends string = ""> = {
  [K in keyof TRecord & string]: TRecord[K] extends AnyProcedure
    ? TRecord[K] extends AnyMutationProcedure
      ? `${TPrefix}${K}`
      : never
    : MutationPathsOf<TRecord[K], `${TPrefix}${K}.`>;
}[keyof TRecord & string];

/** Every mutation of the router by its dotted path: "project.update", "admin.users.invite", … */
export type MutationPath = MutationPathsOf<AppRouter["_def"]["record"]>;

type At<T, TPath extends string> = TPath extends `${infer Head}.${infer Rest}`
  ? Head extends keyof T
    ? At<T[Head], Rest>
    : never
  : TPath extends keyof T
    ? T[TPath]
    : never;

export type MutationInput<P extends MutationPath> = At<RouterInputs, P>;
export type MutationOutput<P extends MutationPath> = At<RouterOutputs, P>;

/**
 * The mutations the dashboard sends as user intents: all of them but signing in and out, which
 * start and end the session an intent belongs to (there is no user to keep a sign-in for, and
 * its input is a password) and are harmless to repeat.
 */
export type IntentPath = Exclude<MutationPath, "auth.login" | "auth.logout">;

export interface IntentPolicy {
  /**
   * Written to localStorage while unconfirmed and sent again, with its key, after a reload or a
   * closed tab (the reload banner). When false the intent lives in memory only: the form that
   * started it keeps its key while the page is open (a double click or a "try again" after a
   * dropped connection still lands once), and a reload forgets it. False for
   * - auth.changePassword: its input is passwords, which must never reach storage;
   * - import.upload: its input is a whole file (base64), far too large for storage;
   * - token.create, admin.users.invite: their answer is a secret shown once (an API token, a
   *   temporary password). Sent again after a reload, it would reach nobody: a replay answers the
   *   secret as null, and a first run would mint a secret that nobody sees.
   */
  stored: boolean;
  /** What a success makes stale, whichever page (or the reload banner) the intent came from. */
  refreshes: "project" | "users" | "tokens" | "jobs" | "nothing";
}

/** One entry per intent path: a new mutation does not compile until it says how it behaves as an intent. */
export const intentPolicies = {
  "project.create": { stored: true, refreshes: "project" },
  "project.update": { stored: true, refreshes: "project" },
  "project.archive": { stored: true, refreshes: "project" },
  "project.restore": { stored: true, refreshes: "project" },
  "project.revert": { stored: true, refreshes: "project" },
  // Starts a job: a re-send after a reload answers the same job (its key is the request's).
  "project.bulk": { stored: true, refreshes: "jobs" },
  // Starts an export job; it writes no project, and a re-send answers the same job.
  "project.export": { stored: true, refreshes: "jobs" },
  // The dry run and the apply (run) of an upload: each starts one job per key, like a bulk change.
  "import.dryRun": { stored: true, refreshes: "jobs" },
  "import.run": { stored: true, refreshes: "jobs" },
  // The dashboard uploads over REST (POST /api/v1/imports, the raw file); over tRPC the input is
  // the whole file, which must never reach localStorage. Unkeyed and harmless to repeat.
  "import.upload": { stored: false, refreshes: "nothing" },
  "job.cancel": { stored: true, refreshes: "jobs" },
  "job.retry": { stored: true, refreshes: "jobs" },
  "admin.users.invite": { stored: false, refreshes: "users" },
  "admin.users.setRole": { stored: true, refreshes: "users" },
  "admin.users.deactivate": { stored: true, refreshes: "users" },
  "admin.users.reactivate": { stored: true, refreshes: "users" },
  "admin.users.revokeSessions": { stored: true, refreshes: "users" },
  "token.create": { stored: false, refreshes: "tokens" },
  "token.revoke": { stored: true, refreshes: "tokens" },
  "auth.changePassword": { stored: false, refreshes: "nothing" },
} as const satisfies Record<IntentPath, IntentPolicy>;

/** Whether an intent of `path` may be written to storage (and so re-sent after a reload). Unknown paths may not. */
export function isStoredPath(path: unknown): path is IntentPath {
  return typeof path === "string" && Object.hasOwn(intentPolicies, path) && intentPolicies[path as IntentPath].stored;
}

/** Where the reload banner links to after an intent of `path` succeeded with `result`. */
export function viewPathOf(path: IntentPath, result: unknown): string | undefined {
  switch (intentPolicies[path].refreshes) {
    case "project":
      return `/projects/${(result as { id: string }).id}`;
    case "users":
      return "/admin/users";
    case "tokens":
      return "/tokens";
    case "jobs":
      return `/jobs/${(result as { id: string }).id}`;
    case "nothing":
      return undefined;
  }
}

/** Said under a save that got no final answer: its intent is kept and will be sent again with the same key. */
export const KEPT_FOR_RETRY =
  "Your change is kept on this device: saving again sends the same request (it cannot land twice), and it is sent again next time you open Trellis.";

/** The same for an intent kept in memory only: trying again reuses its key, a reload forgets it. */
export const KEPT_UNTIL_RELOAD = "Trying again sends the same request, so it cannot land twice.";

/** What to tell the user about an intent of `path` that failed without a final answer. */
export function keptNote(path: IntentPath): string {
  return intentPolicies[path].stored ? KEPT_FOR_RETRY : KEPT_UNTIL_RELOAD;
}
