import { useQuery } from "@tanstack/react-query";
import { Navigate, Outlet, useLocation } from "react-router";
import { CurrentUserContext } from "../hooks/current-user";
import { isSignedOut } from "../lib/errors";
import { loginPathFor } from "../lib/redirect";
import { useTRPC } from "../trpc";
import { ErrorNotice } from "./ErrorNotice";

/** auth.me decides who is signed in; everything below can rely on a user. */
export function RequireAuth() {
  const trpc = useTRPC();
  const location = useLocation();
  const me = useQuery(trpc.auth.me.queryOptions(undefined, { staleTime: 60_000 }));

  if (me.isPending) {
    return (
      <p className="page-status" role="status">
        Loading…
      </p>
    );
  }
  if (me.isError) {
    if (isSignedOut(me.error)) return <Navigate to={loginPathFor(location)} replace />;
    return (
      <main className="page">
        <ErrorNotice title="Could not check your session" error={me.error} onRetry={() => void me.refetch()} />
      </main>
    );
  }
  return (
    <CurrentUserContext value={me.data}>
      <Outlet />
    </CurrentUserContext>
  );
}
