import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app/App";
import { createQueryClient } from "./app/query-client";
import { createAppRouter } from "./app/routes";
import { createDashboardClient } from "./app/trpc";
import { loginPathFor } from "./features/auth/redirect";
import { browserStorage, createDashboardIntentRunner } from "./features/intents/runner-context";
import "./styles.css";

const router = createAppRouter();
const trpcClient = createDashboardClient();
// Unconfirmed user intents live in localStorage, so a reload mid-save re-sends them with their keys.
const intentRunner = createDashboardIntentRunner(trpcClient, browserStorage());
const queryClient = createQueryClient(() => {
  // The session ended under an open page: go sign in, then come back here.
  if (router.state.location.pathname !== "/login") {
    void router.navigate(loginPathFor(router.state.location), { replace: true });
  }
});

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");
createRoot(root).render(
  <StrictMode>
    <App queryClient={queryClient} trpcClient={trpcClient} intentRunner={intentRunner} router={router} />
  </StrictMode>,
);
