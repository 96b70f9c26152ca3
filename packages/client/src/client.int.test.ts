import { startTestServer, type TestServer } from "@trellis/server/testing";
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import { type Reason, SESSION_COOKIE } from "@trellis/api";
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

/** A browser's cookie jar for one origin: keeps the session cookie the server sets and sends it back. */
function cookieJar() {
  let cookie: string | undefined;
  const sent: Array<{ path: string; credentials: RequestInit["credentials"]; csrf: string | null; bearer: boolean }> = [];
  const fetchImpl: typeof fetch = async (input, init) => {
    const url = new URL(String(input instanceof Request ? input.url : input));
    const headers = new Headers(init?.headers);
    sent.push({
      path: url.pathname.replace("/trpc/", ""),
      credentials: init?.credentials,
      csrf: headers.get("x-trellis-csrf"),
      bearer: headers.has("authorization"),
    });
    if (cookie) headers.set("cookie", cookie);
    const res = await fetch(input, { ...init, headers });
    const set = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
    if (set) cookie = set.split(";")[0];
    return res;
  };
  return { sent, fetchImpl, hasCookie: () => cookie !== undefined };
}

describe("createTrellisClient with cookies (a browser app on the server's origin)", () => {
  it("signs in with the session cookie, and its writes carry the CSRF header the server asks of cookie writes", async () => {
    const jar = cookieJar();
    const client = createTrellisClient({ url: t.url, cookies: "same-origin", fetch: jar.fetchImpl });
    const { user } = await client.auth.login.mutate({ email: t.users.editor.email, password: t.users.editor.password });
    expect(jar.hasCookie()).toBe(true);

    const [me, created] = await Promise.all([client.auth.me.query(), client.project.create.mutate({ name: "Written with the cookie" })]);
    expect(me.id).toBe(user.id);
    expect(created.ownerId).toBe(user.id);
    expect(jar.sent.length).toBeGreaterThanOrEqual(3);
    expect(jar.sent.every((s) => s.credentials === "same-origin" && !s.bearer)).toBe(true);
    expect(jar.sent.filter((s) => s.path === "project.create").map((s) => s.csrf)).toEqual(["1"]);

    // The same cookie without the header (and, like any non-browser client, without an Origin)
    // is refused: the header is what let the write above through.
    const withoutHeader = createTrellisClient({ url: t.url, fetch: jar.fetchImpl, retry: false });
    await expect(withoutHeader.project.create.mutate({ name: "Forged with the cookie" })).rejects.toMatchObject({
      data: { httpStatus: 403, reason: "CSRF_REJECTED" },
    });
    expect((await client.project.list.query({ q: "Forged with the cookie" })).items).toEqual([]);
  });

  it("subscribes to live changes with the cookie", async () => {
    const jar = cookieJar();
    const client = createTrellisClient({ url: t.url, cookies: "same-origin", fetch: jar.fetchImpl });
    await client.auth.login.mutate({ email: t.users.viewer.email, password: t.users.viewer.password });
    const ready = await new Promise<string>((resolve, reject) => {
      const sub = client.project.changes.subscribe(
        {},
        {
          onData: (e) => {
            if (e.data.type !== "ready") return;
            sub.unsubscribe();
            resolve(e.data.type);
          },
          onError: reject,
        },
      );
    });
    expect(ready).toBe("ready");
    expect(jar.sent.filter((s) => s.path === "project.changes").map((s) => s.credentials)).toEqual(["same-origin"]);
  });
});
