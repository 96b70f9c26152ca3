import { existsSync } from "node:fs";
import { join } from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";

const apiPrefixes = ["/trpc", "/api/", "/api-docs", "/health", "/ready"];
/** Source maps would publish the dashboard's source: never served, even if a build emits them. */
const isSourceMap = (path: string) => path.endsWith(".map");

/** Serves the built dashboard, falling back to index.html for client-side routes. */
export async function registerDashboard(app: FastifyInstance, webDist: string | undefined) {
  const hasDashboard = webDist !== undefined && existsSync(join(webDist, "index.html"));
  if (hasDashboard) {
    await app.register(fastifyStatic, { root: webDist, wildcard: false, index: ["index.html"], globIgnore: ["**/*.map"] });
  } else {
    app.get("/", async (_req, reply) =>
      reply.type("text/plain").send("Trellis API is running. The dashboard is not built: run `pnpm build`."),
    );
  }
  app.setNotFoundHandler((req, reply) => {
    const [path = ""] = req.url.split("?");
    const isPage =
      req.method === "GET" && !apiPrefixes.some((p) => req.url.startsWith(p)) && !isSourceMap(path) && req.headers.accept?.includes("text/html");
    if (hasDashboard && isPage) return reply.type("text/html").sendFile("index.html");
    return reply.code(404).send({ message: `No route for ${req.method} ${path}`, code: "NOT_FOUND", data: { httpStatus: 404, requestId: req.id } });
  });
}
