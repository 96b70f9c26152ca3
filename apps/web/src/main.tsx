import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { loginPathFor } from "./lib/redirect";
import { createQueryClient } from "./query-client";
import { createAppRouter } from "./routes";
import { createTrpcClient } from "./trpc";
import "./styles.css";

const router = createAppRouter();
const trpcClient = createTrpcClient();
const queryClient = createQueryClient(() => {
  // The session ended under an open page: go sign in, then come back here.
  if (router.state.location.pathname !== "/login") {
    void router.navigate(loginPathFor(router.state.location), { replace: true });
  }
});

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App queryClient={queryClient} trpcClient={trpcClient} router={router} />
  </StrictMode>,
);
