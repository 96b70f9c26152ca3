import autocannon from "autocannon";
import { type CpuSnapshot, cpuBetween } from "./cpu.js";

export interface LoadOptions {
  url: string;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
  /** Extra headers minted for every single request (e.g. a fresh Idempotency-Key), through autocannon's setupRequest. */
  perRequestHeaders?: () => Record<string, string>;
  /** Sees every response (warm-up included): status and headers, names lower-cased. */
  onResponse?: (status: number, headers: Record<string, string>) => void;
  connections: number;
  /** Seconds of discarded load before measuring (JIT, pools, caches). */
  warmupSeconds: number;
  durationSeconds: number;
  /** Called between the warm-up and the measured window (e.g. to start a profiler). */
  beforeMeasure?: () => Promise<void>;
  /** CPU snapshots of the server process and of the Postgres backends, read around the measured window. */
  serverCpu?: CpuSnapshot;
  postgresCpu?: CpuSnapshot;
}

export interface LoadResult {
  /** Mean requests per second over the measured window (autocannon's requests.average). */
  rps: number;
  /** Latency percentiles in ms, from every 2xx response (autocannon's own histogram is whole ms). */
  p50: number;
  p99: number;
  mean: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Mean response size in bytes (headers and body). */
  bytesPerResponse: number;
  /** Server process CPU time (user + system) per 2xx response, in µs; NaN when unknown. */
  cpuUsPerRequest: number;
  /** CPU of the Postgres backends per 2xx response, in µs; NaN when Postgres is not local. */
  postgresCpuUsPerRequest: number;
  /** Seconds measured. */
  seconds: number;
  /** Every 2xx latency in ms, for pooling percentiles across rounds. */
  latencies: number[];
}

function lowerCased(headers: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) out[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : String(v);
  return out;
}

/** A per-request hook only when a case needs one: a static request is built once and reused. */
function dynamicRequest(opts: LoadOptions): Pick<autocannon.Options, "requests"> {
  const { perRequestHeaders, onResponse } = opts;
  if (!perRequestHeaders && !onResponse) return {};
  const request: autocannon.Request = {};
  if (perRequestHeaders) {
    // autocannon hands setupRequest a fresh copy of the request (headers included) every time.
    request.setupRequest = (req) => ({ ...req, headers: { ...req.headers, ...perRequestHeaders() } });
  }
  if (onResponse) request.onResponse = (status, _body, _context, headers) => onResponse(status, lowerCased(headers));
  return { requests: [request] };
}

function runOnce(
  opts: LoadOptions,
  seconds: number,
  onResponse?: (status: number, bytes: number, ms: number) => void,
): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: opts.url,
        // Only when set: autocannon merges options with Object.assign, so an undefined would win over its defaults.
        ...(opts.method && { method: opts.method }),
        headers: opts.headers,
        ...(opts.body !== undefined && { body: opts.body }),
        connections: opts.connections,
        pipelining: 1,
        duration: seconds,
        timeout: 10,
        ...dynamicRequest(opts),
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
    if (onResponse) {
      instance.on("response", (_client: unknown, status: number, bytes: number, ms: number) => onResponse(status, bytes, ms));
    }
  });
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}

export function summarize(latencies: number[]): { p50: number; p99: number; mean: number } {
  const sorted = Float64Array.from(latencies).sort();
  const mean = latencies.reduce((a, b) => a + b, 0) / (latencies.length || 1);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), mean };
}

/** Warms up, then measures one endpoint with a fixed number of keep-alive connections. */
export async function measure(opts: LoadOptions): Promise<LoadResult> {
  if (opts.warmupSeconds > 0) await runOnce(opts, opts.warmupSeconds);
  await opts.beforeMeasure?.();
  const cpuBefore = await opts.serverCpu?.();
  const pgBefore = await opts.postgresCpu?.();
  const latencies: number[] = [];
  let bytes = 0;
  const result = await runOnce(opts, opts.durationSeconds, (status, size, ms) => {
    if (status >= 200 && status < 300) {
      latencies.push(ms);
      bytes += size;
    }
  });
  const cpuAfter = await opts.serverCpu?.();
  const pgAfter = await opts.postgresCpu?.();
  const cpuUs = cpuBefore && cpuAfter ? cpuBetween(cpuBefore, cpuAfter) : Number.NaN;
  const pgUs = pgBefore && pgAfter ? cpuBetween(pgBefore, pgAfter) : Number.NaN;
  const { p50, p99, mean } = summarize(latencies);
  return {
    rps: result.requests.average,
    p50,
    p99,
    mean,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    bytesPerResponse: latencies.length ? Math.round(bytes / latencies.length) : 0,
    cpuUsPerRequest: latencies.length ? cpuUs / latencies.length : Number.NaN,
    postgresCpuUsPerRequest: latencies.length ? pgUs / latencies.length : Number.NaN,
    seconds: result.duration,
    latencies,
  };
}

/** A per-response figure (CPU per request) pooled over rounds, weighted by each round's responses. */
export function pooledPerRequest(rounds: LoadResult[], key: "cpuUsPerRequest" | "postgresCpuUsPerRequest"): number {
  const n = rounds.reduce((a, r) => a + r.latencies.length, 0);
  return rounds.reduce((a, r) => a + r[key] * r.latencies.length, 0) / (n || 1);
}

/** Plain-text table: first column left-aligned, the rest right-aligned. */
export function renderTable(header: string[], body: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n");
}
