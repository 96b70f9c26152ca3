import { useMutation, useQueryClient } from "@tanstack/react-query";
import { NavLink, Outlet, useNavigate } from "react-router";
import { useCurrentUser } from "../hooks/current-user";
import { useTRPC } from "../trpc";
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
            <a href="/api-docs">API docs</a>
          </nav>
          <div className="user-menu">
            <span data-testid="current-user">
              {user.name} <span className="badge role-badge">{user.role}</span>
            </span>
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
    </>
  );
}
