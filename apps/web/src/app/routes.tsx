import { createBrowserRouter, Navigate } from "react-router";
import { RequireAdmin } from "../features/admin/RequireAdmin";
import { UsersPage } from "../features/admin/UsersPage";
import { AuditPage } from "../features/audit/AuditPage";
import { JobDetailPage } from "../features/jobs/JobDetailPage";
import { JobsPage } from "../features/jobs/JobsPage";
import { ChangePasswordPage } from "../features/auth/ChangePasswordPage";
import { LoginPage } from "../features/auth/LoginPage";
import { RequireAuth } from "../features/auth/RequireAuth";
import { ImportPage } from "../features/imports/ImportPage";
import { EditProjectPage } from "../features/projects/edit/EditProjectPage";
import { NewProjectPage } from "../features/projects/NewProjectPage";
import { ProjectDetailPage } from "../features/projects/ProjectDetailPage";
import { ProjectHistoryPage } from "../features/projects/ProjectHistoryPage";
import { ProjectsPage } from "../features/projects/ProjectsPage";
import { StatsPage } from "../features/projects/StatsPage";
import { TokensPage } from "../features/tokens/TokensPage";
import { NotFoundPage } from "../ui/NotFoundPage";
import { Layout } from "./Layout";
import { SignedInProviders } from "./providers";

export function createAppRouter() {
  return createBrowserRouter([
    { path: "/login", element: <LoginPage /> },
    {
      element: (
        <RequireAuth>
          {(user) => (
            <SignedInProviders user={user}>
              <Layout />
            </SignedInProviders>
          )}
        </RequireAuth>
      ),
      children: [
        { index: true, element: <Navigate to="/projects" replace /> },
        { path: "projects", element: <ProjectsPage /> },
        { path: "projects/new", element: <NewProjectPage /> },
        { path: "projects/import", element: <ImportPage /> },
        { path: "projects/:id", element: <ProjectDetailPage /> },
        { path: "projects/:id/edit", element: <EditProjectPage /> },
        { path: "projects/:id/history", element: <ProjectHistoryPage /> },
        { path: "stats", element: <StatsPage /> },
        { path: "tokens", element: <TokensPage /> },
        { path: "jobs", element: <JobsPage /> },
        { path: "jobs/:id", element: <JobDetailPage /> },
        { path: "account/password", element: <ChangePasswordPage /> },
        {
          path: "admin",
          element: <RequireAdmin />,
          children: [
            { path: "users", element: <UsersPage /> },
            { path: "audit", element: <AuditPage /> },
          ],
        },
        { path: "*", element: <NotFoundPage /> },
      ],
    },
  ]);
}

export type AppBrowserRouter = ReturnType<typeof createAppRouter>;
