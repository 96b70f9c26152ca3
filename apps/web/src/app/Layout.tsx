import { useMutation, useQueryClient } from "@tanstack/react-query";
import { NavLink, Outlet, useNavigate } from "react-router";
import { useCurrentUser } from "../features/auth/current-user";
import { PendingIntentsBanner } from "../features/intents/PendingIntentsBanner";
import { RunningJobsIndicator } from "../features/jobs/RunningJobsIndicator";
import { LiveIndicator } from "../features/live/LiveIndicator";
import { Button } from "../ui/Button";
import { useTRPC } from "./trpc";

/** The signed-in pages' frame: header and navigation, the reload banner, the page. */
export function Layout() {
  const user = useCurrentUser();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  // Signing out is not a user intent (see features/intents/intent-paths.ts): it ends the session
  // intents belong to, and doing it twice changes nothing.
  const logout = useMutation(
    trpc.auth.logout.mutationOptions({
      onSettled: () => {
        void navigate("/login", { replace: true });
        // Another person may sign in next on this browser: drop everything cached for this one.
        queryClient.clear();
      },
    }),
  );

  return (
    <>
      <header className="app-header">
        <div className="app-header-inner">
          <NavLink to="/projects" className="brand">
            Trellis
          </NavLink>
          <nav aria-label="Main">
            <NavLink to="/projects">Projects</NavLink>
            <NavLink to="/stats">Stats</NavLink>
            <NavLink to="/jobs">Jobs</NavLink>
            <NavLink to="/tokens">API tokens</NavLink>
            {user.role === "admin" && (
              <>
                <NavLink to="/admin/users">Users</NavLink>
                <NavLink to="/admin/audit">Audit</NavLink>
              </>
            )}
            <a href="/api-docs">API docs</a>
          </nav>
          <RunningJobsIndicator />
          <LiveIndicator />
          <div className="user-menu">
            <span data-testid="current-user">
              {user.name} <span className="badge role-badge">{user.role}</span>
            </span>
            <NavLink to="/account/password" className="small">
              Password
            </NavLink>
            <Button small onClick={() => logout.mutate()} disabled={logout.isPending}>
              Sign out
            </Button>
          </div>
        </div>
      </header>
      <main className="page">
        <PendingIntentsBanner />
        <Outlet />
      </main>
    </>
  );
}
