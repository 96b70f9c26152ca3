import { useMutation, useQueryClient } from "@tanstack/react-query";
import { NavLink, Outlet, useNavigate } from "react-router";
import { useCurrentUser } from "../hooks/current-user";
import { LiveUpdatesProvider, useLiveStatus } from "../live";
import { useTRPC } from "../trpc";
import { UndoProvider } from "../undo";
import { PendingIntentsBanner } from "./PendingIntentsBanner";

export function Layout() {
  const user = useCurrentUser();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const logout = useMutation(
    trpc.auth.logout.mutationOptions({
      onSettled: () => {
        navigate("/login", { replace: true });
        // Another person may sign in next on this browser: drop everything cached for this one.
        queryClient.clear();
      },
    }),
  );

  // One live subscription for every signed-in page; it ends when the user signs out.
  return (
    <LiveUpdatesProvider>
      <UndoProvider>
        <header className="app-header">
          <div className="app-header-inner">
            <NavLink to="/projects" className="brand">
              Trellis
            </NavLink>
            <nav aria-label="Main">
              <NavLink to="/projects">Projects</NavLink>
              <NavLink to="/stats">Stats</NavLink>
              <NavLink to="/tokens">API tokens</NavLink>
              {user.role === "admin" && (
                <>
                  <NavLink to="/admin/users">Users</NavLink>
                  <NavLink to="/admin/audit">Audit</NavLink>
                </>
              )}
              <a href="/api-docs">API docs</a>
            </nav>
            <LiveIndicator />
            <div className="user-menu">
              <span data-testid="current-user">
                {user.name} <span className="badge role-badge">{user.role}</span>
              </span>
              <NavLink to="/account/password" className="small">
                Password
              </NavLink>
              <button type="button" className="button button-small" onClick={() => logout.mutate()} disabled={logout.isPending}>
                Sign out
              </button>
            </div>
          </div>
        </header>
        <main className="page">
          <PendingIntentsBanner />
          <Outlet />
        </main>
      </UndoProvider>
    </LiveUpdatesProvider>
  );
}

const liveLabels = {
  connecting: { text: "Connecting…", title: "Connecting to live updates" },
  live: { text: "Live", title: "Changes by others appear as they happen" },
  reconnecting: { text: "Reconnecting…", title: "Live updates paused; changes made meanwhile arrive on reconnect" },
  off: { text: "Not live", title: "Live updates are off; reload the page to see others' changes" },
} as const;

function LiveIndicator() {
  const status = useLiveStatus();
  const { text, title } = liveLabels[status];
  return (
    <span className={`live-status live-${status}`} data-testid="live-status" data-status={status} title={title}>
      {text}
    </span>
  );
}
