import { randomUUID } from "node:crypto";

export interface JsonReply {
  status: number;
  headers: Headers;
  body: any;
}

/** POST/GET JSON with an optional bearer token and Idempotency-Key. */
export async function call(
  url: string,
  opts: { method?: string; token?: string; key?: string; body?: unknown } = {},
): Promise<JsonReply> {
  const res = await fetch(url, {
    method: opts.method ?? (opts.body === undefined ? "GET" : "POST"),
    headers: {
      ...(opts.body !== undefined ? { "content-type": "application/json" } : {}),
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      ...(opts.key ? { "idempotency-key": opts.key } : {}),
    },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

export async function login(baseUrl: string, email: string, password: string): Promise<string> {
  const r = await call(`${baseUrl}/api/v1/auth/login`, { body: { email, password } });
  if (r.status !== 200) throw new Error(`login failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.token as string;
}

export const newKey = () => randomUUID();
