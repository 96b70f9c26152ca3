import { readFileSync } from "node:fs";
import { parseConfig, parseWorkerConfig } from "@trellis/config";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

// CI also runs `docker-compose config -q`; this checks what that cannot: that the worker service
// is scalable and that both services' environments pass our own config schemas.
interface Service {
  build?: unknown;
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: unknown;
  container_name?: string;
  depends_on?: Record<string, { condition: string }>;
}
const compose = parse(readFileSync(new URL("../../../docker-compose.yml", import.meta.url), "utf8")) as { services: Record<string, Service> };

/** `${VAR:-default}` as compose resolves it with nothing set. */
const resolved = (env: Record<string, string> = {}) =>
  Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v).replace(/\$\{[A-Z_]+:-([^}]*)\}/g, "$1")]));

describe("docker-compose.yml", () => {
  const { server, worker } = compose.services;

  it("has a worker service from the server's image, running the worker", () => {
    expect(worker).toBeDefined();
    expect(worker?.build ?? worker?.image).toEqual(server?.build ?? server?.image);
    expect(worker?.command?.join(" ")).toMatch(/apps\/worker\/dist\/main\.js/);
  });

  it("can be scaled (--scale worker=3): no container name, no published ports", () => {
    expect(worker).not.toHaveProperty("container_name");
    expect(worker).not.toHaveProperty("ports");
  });

  it("starts the worker once Postgres, Redis and the server are healthy", () => {
    expect(worker?.depends_on).toEqual({
      postgres: { condition: "service_healthy" },
      redis: { condition: "service_healthy" },
      server: { condition: "service_healthy" },
    });
  });

  it("gives both services environments our schemas accept, on the same stores, with jobs in the worker", () => {
    const w = parseWorkerConfig(resolved(worker?.environment));
    const s = parseConfig(resolved(server?.environment));
    expect(w.databaseUrl).toBe(s.databaseUrl);
    expect(w.redisUrl).toBe(s.redisUrl);
    expect(s.jobs.inProcess).toBe(false);
    expect(w.nodeEnv).toBe("production");
  });
});
