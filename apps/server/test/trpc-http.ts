import superjson from "superjson";

export interface TrpcReply {
  status: number;
  headers: Headers;
  /** The deserialized result data, on success. */
  data: any;
  /** The error shape (`message`, `code`, `data.reason`, ...), on failure. */
  error: any;
}

export interface TrpcCallOptions {
  bearer?: string;
  cookie?: string;
  /** Extra request headers (e.g. the dashboard's CSRF header). */
  headers?: Record<string, string>;
}

function headersFor(opts: TrpcCallOptions): Record<string, string> {
  return {
    ...(opts.bearer ? { authorization: `Bearer ${opts.bearer}` } : {}),
    ...(opts.cookie ? { cookie: opts.cookie } : {}),
    ...opts.headers,
  };
}

/**
 * One unbatched tRPC call over HTTP, as @trpc/client's httpLink sends it (superjson on the wire).
 * Subscriptions are opened as SSE and closed as soon as the status is known.
 */
export async function trpc(
  baseUrl: string,
  type: "query" | "mutation" | "subscription",
  path: string,
  input: unknown,
  opts: TrpcCallOptions = {},
): Promise<TrpcReply> {
  const encoded = input === undefined ? undefined : JSON.stringify(superjson.serialize(input));
  const url = `${baseUrl}/trpc/${path}${type !== "mutation" && encoded ? `?input=${encodeURIComponent(encoded)}` : ""}`;
  const abort = new AbortController();
  const res = await fetch(url, {
    method: type === "mutation" ? "POST" : "GET",
    headers: { ...(type === "mutation" ? { "content-type": "application/json" } : {}), ...headersFor(opts) },
    // A mutation without input still sends a body, as httpLink does: `{}` is superjson's `undefined`.
    body: type === "mutation" ? (encoded ?? JSON.stringify(superjson.serialize(undefined))) : undefined,
    signal: abort.signal,
  });
  if (type === "subscription" && res.headers.get("content-type")?.startsWith("text/event-stream")) {
    // An SSE stream always starts 200: a refusal arrives as its first event ("serialized-error").
    const first = await firstSseEvent(res);
    abort.abort();
    const error = first.event === "serialized-error" ? superjson.deserialize(JSON.parse(first.data)) : undefined;
    const httpStatus = (error as { data?: { httpStatus?: number } } | undefined)?.data?.httpStatus;
    return { status: httpStatus ?? res.status, headers: res.headers, data: error ? undefined : JSON.parse(first.data), error };
  }
  const text = await res.text();
  const body = text ? JSON.parse(text) : undefined;
  return {
    status: res.status,
    headers: res.headers,
    data: body?.result ? superjson.deserialize(body.result.data) : undefined,
    error: body?.error ? superjson.deserialize(body.error) : undefined,
  };
}

export interface OpenStream {
  /** The first event: `data` (e.g. `{ type: "ready" }`) or the refusal's `error` and its `status`. */
  first: Pick<TrpcReply, "status" | "data" | "error">;
  close(): Promise<void>;
}

/** Opens a tRPC subscription over SSE and keeps it open after its first event, until close(). */
export async function openSubscription(baseUrl: string, path: string, input: unknown, opts: TrpcCallOptions = {}): Promise<OpenStream> {
  const encoded = JSON.stringify(superjson.serialize(input));
  const abort = new AbortController();
  const res = await fetch(`${baseUrl}/trpc/${path}?input=${encodeURIComponent(encoded)}`, { headers: headersFor(opts), signal: abort.signal });
  const close = async () => {
    abort.abort();
    await res.body?.cancel().catch(() => {});
  };
  if (!res.headers.get("content-type")?.startsWith("text/event-stream")) {
    const body = JSON.parse(await res.text());
    return { first: { status: res.status, data: undefined, error: superjson.deserialize(body.error) }, close };
  }
  const first = await firstSseEvent(res);
  if (first.event === "serialized-error") {
    const error = superjson.deserialize(JSON.parse(first.data)) as { data?: { httpStatus?: number } };
    return { first: { status: error.data?.httpStatus ?? res.status, data: undefined, error }, close };
  }
  const data = superjson.deserialize(JSON.parse(first.data).json === undefined ? { json: JSON.parse(first.data) } : JSON.parse(first.data));
  return { first: { status: res.status, data, error: undefined }, close };
}

/** The `name=value` of a Set-Cookie header for `name`, to send back as a Cookie header. */
export function cookieFrom(headers: Headers, name: string): string | undefined {
  for (const line of headers.getSetCookie()) {
    const [pair] = line.split(";");
    if (pair?.startsWith(`${name}=`)) return pair;
  }
  return undefined;
}

/** The first event of an SSE response that carries data (skipping `connected` and pings). */
async function firstSseEvent(res: Response): Promise<{ event: string | undefined; data: string }> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`SSE stream ended before an event: ${buffer}`);
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = block.match(/^event: ?(.*)$/m)?.[1];
      const data = block.match(/^data: ?(.*)$/m)?.[1];
      if (data === undefined || event === "connected" || event === "ping") continue;
      return { event, data };
    }
  }
}
