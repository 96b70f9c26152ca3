import { createBrowserRouter, Navigate } from "react-router";
import { Layout } from "./components/Layout";
import { RequireAuth } from "./components/RequireAuth";
import { EditProjectPage } from "./pages/EditProjectPage";
import { LoginPage } from "./pages/LoginPage";
import { NewProjectPage } from "./pages/NewProjectPage";
import { NotFoundPage } from "./pages/NotFoundPage";
import { ProjectDetailPage } from "./pages/ProjectDetailPage";
import { ProjectHistoryPage } from "./pages/ProjectHistoryPage";
import { ProjectsPage } from "./pages/ProjectsPage";
import { StatsPage } from "./pages/StatsPage";

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
            { path: "*", element: <NotFoundPage /> },
          ],
        },
      ],
    },
  ]);
}

export type AppBrowserRouter = ReturnType<typeof createAppRouter>;
