import { startTestServer, type TestServer } from "@trellis/server/testing";
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import type { Reason } from "@trellis/api";
import { type AppRouter, createTrellisClient, TRPCClientError, type RouterInputs, type RouterOutputs } from "./index.js";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t?.close());

describe("createTrellisClient", () => {
  it("exposes the router's types to sibling apps", () => {
    const client = createTrellisClient({ url: "http://localhost:1" });
    expectTypeOf(client.project.create.mutate).parameter(0).toEqualTypeOf<RouterInputs["project"]["create"]>();
    expectTypeOf<RouterInputs["project"]["update"]>().toHaveProperty("expectedVersion").toEqualTypeOf<number>();
    type Project = RouterOutputs["project"]["byId"];
    expectTypeOf<Project["createdAt"]>().toEqualTypeOf<Date>();
    expectTypeOf<Project["version"]>().toEqualTypeOf<number>();
    expectTypeOf<Awaited<ReturnType<typeof client.project.list.query>>>().toEqualTypeOf<RouterOutputs["project"]["list"]>();
  });

  it("signs in, writes and reads through a real server with superjson", async () => {
    const anonymous = createTrellisClient({ url: t.url });
    const { token, user } = await anonymous.auth.login.mutate({ email: t.users.editor.email, password: t.users.editor.password });
    expect(user.role).toBe("editor");

    const client = createTrellisClient({ url: `${t.url}/trpc/`, token });
    const created = await client.project.create.mutate({ name: "From a sibling app", dueDate: "2031-05-01" });
    expect(created.createdAt).toBeInstanceOf(Date);
    const [one, page] = await Promise.all([
      client.project.byId.query({ id: created.id }),
      client.project.list.query({ limit: 5 }),
    ]);
    expect(one).toEqual(created);
    expect(page.items.some((p) => p.id === created.id)).toBe(true);
  });

  it("surfaces typed errors with the domain reason", async () => {
    const client = createTrellisClient({ url: t.url, token: () => t.tokenFor("editor") });
    const p = await client.project.create.mutate({ name: "Conflicted" });
    await client.project.update.mutate({ id: p.id, expectedVersion: 1, patch: { name: "v2" } });
    const err = await client.project.update
      .mutate({ id: p.id, expectedVersion: 1, patch: { name: "stale" } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TRPCClientError);
    const data = (err as TRPCClientError<AppRouter>).data;
    expectTypeOf(data?.reason).toEqualTypeOf<Reason | undefined>();
    expect(data).toMatchObject({ code: "CONFLICT", reason: "VERSION_CONFLICT", currentVersion: 2 });
    const current = data?.current;
    expectTypeOf(current).toEqualTypeOf<RouterOutputs["project"]["byId"] | undefined>();
    expect(current?.name).toBe("v2");
    expect(current?.updatedAt).toBeInstanceOf(Date);

    const signedOut = createTrellisClient({ url: t.url });
    await expect(signedOut.project.list.query({})).rejects.toMatchObject({ data: { code: "UNAUTHORIZED" } });
  });
});
