import { createBrowserRouter, Navigate } from "react-router";
import { Layout } from "./components/Layout";
import { RequireAdmin } from "./components/RequireAdmin";
import { RequireAuth } from "./components/RequireAuth";
import { AuditPage } from "./pages/AuditPage";
import { ChangePasswordPage } from "./pages/ChangePasswordPage";
import { EditProjectPage } from "./pages/EditProjectPage";
import { LoginPage } from "./pages/LoginPage";
import { NewProjectPage } from "./pages/NewProjectPage";
import { NotFoundPage } from "./pages/NotFoundPage";
import { ProjectDetailPage } from "./pages/ProjectDetailPage";
import { ProjectHistoryPage } from "./pages/ProjectHistoryPage";
import { ProjectsPage } from "./pages/ProjectsPage";
import { StatsPage } from "./pages/StatsPage";
import { TokensPage } from "./pages/TokensPage";
import { UsersPage } from "./pages/UsersPage";

export function createAppRouter() {
  return createBrowserRouter([
    { path: "/login", element: <LoginPage /> },
    {
      element: <RequireAuth />,
      children: [
        {
          element: <Layout />,
          children: [
            { index: true, element: <Navigate to="/projects" replace /> },
            { path: "projects", element: <ProjectsPage /> },
            { path: "projects/new", element: <NewProjectPage /> },
            { path: "projects/:id", element: <ProjectDetailPage /> },
            { path: "projects/:id/edit", element: <EditProjectPage /> },
            { path: "projects/:id/history", element: <ProjectHistoryPage /> },
            { path: "stats", element: <StatsPage /> },
            { path: "tokens", element: <TokensPage /> },
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
      ],
    },
  ]);
}

export type AppBrowserRouter = ReturnType<typeof createAppRouter>;
