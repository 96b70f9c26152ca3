import { Outlet } from "react-router";
import { useCurrentUser } from "../auth/current-user";

/** Admin pages: hidden from the navigation of other roles, and refused here too (the API refuses them with 403 anyway). */
export function RequireAdmin() {
  const user = useCurrentUser();
  if (user.role !== "admin") {
    return (
      <div className="notice notice-warning" role="alert">
        <p>This page is for admins. Your role is {user.role}.</p>
      </div>
    );
  }
  return <Outlet />;
}
