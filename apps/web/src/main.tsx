import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { browserStorage, createProjectIntentRunner } from "./intents";
import { loginPathFor } from "./lib/redirect";
import { createQueryClient } from "./query-client";
import { createAppRouter } from "./routes";
import { createTrpcClient } from "./trpc";
import "./styles.css";

const router = createAppRouter();
const trpcClient = createTrpcClient();
// Unconfirmed user intents live in localStorage, so a reload mid-save re-sends them with their keys.
const intentRunner = createProjectIntentRunner(trpcClient, browserStorage());
const queryClient = createQueryClient(() => {
  // The session ended under an open page: go sign in, then come back here.
  if (router.state.location.pathname !== "/login") {
    void router.navigate(loginPathFor(router.state.location), { replace: true });
  }
});

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App queryClient={queryClient} trpcClient={trpcClient} intentRunner={intentRunner} router={router} />
  </StrictMode>,
);
