// Summarizes a V8 .cpuprofile (node --cpu-prof) by package: where a server spends its CPU.
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Which package (or runtime bucket) a frame belongs to. */
function categoryOf(frame: ProfileNode["callFrame"]): string {
  const { url, functionName } = frame;
  if (!url) {
    if (functionName === "(garbage collector)") return "(gc)";
    if (functionName === "(idle)") return "(idle)";
    if (functionName === "(program)") return "(program: native/unattributed)";
    if (functionName === "(root)") return "(root)";
    return "(native)";
  }
  if (url.startsWith("node:")) return "node internals";
  const pnpm = url.match(/node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
  if (pnpm) return pnpm[1] as string;
  const plain = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
  if (plain) return plain[1] as string;
  const workspace = url.match(/\/(apps|packages|bench)\/([^/]+)\//);
  if (workspace) return workspace[1] === "bench" ? "@trellis/bench" : `@trellis/${workspace[2]}`;
  return url;
}

/**
 * Self time and inclusive time ("a frame of this package is anywhere on the stack") per
 * package. The profile covers the measured window only (started and stopped over IPC).
 */
export function summarizeProfile(file: string, requests: number): string {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  // Sample i is taken at startTime + sum(timeDeltas[0..i]); weight it by the gap to the next one.
  const times: number[] = [];
  let t = profile.startTime;
  for (const d of profile.timeDeltas) times.push((t += d));
  const picked = profile.samples.map((_, i) => i);

  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const fnSelf = new Map<string, number>();
  let busy = 0;
  let total = 0;
  for (const i of picked) {
    const weight = (times[i + 1] ?? times[i] ?? 0) - (times[i] ?? 0) || 0;
    const leaf = byId.get(profile.samples[i] as number);
    if (!leaf) continue;
    total += weight;
    const leafCat = categoryOf(leaf.callFrame);
    if (leafCat === "(idle)") continue;
    busy += weight;
    self.set(leafCat, (self.get(leafCat) ?? 0) + weight);
    const fnKey = `${leaf.callFrame.functionName || "(anonymous)"} ${leafCat}${leaf.callFrame.url ? `:${leaf.callFrame.lineNumber + 1}` : ""}`;
    fnSelf.set(fnKey, (fnSelf.get(fnKey) ?? 0) + weight);
    const seen = new Set<string>();
    for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
      const node = byId.get(id);
      if (node) seen.add(categoryOf(node.callFrame));
    }
    for (const cat of seen) inclusive.set(cat, (inclusive.get(cat) ?? 0) + weight);
  }

  const perReq = (us: number) => (requests > 0 ? `${(us / requests).toFixed(0).padStart(5)} µs/req` : "");
  const pct = (us: number) => `${((100 * us) / (busy || 1)).toFixed(1)}%`;
  const lines = [
    `CPU profile of the measured window: main thread busy ${(busy / 1e6).toFixed(2)} s of ${(total / 1e6).toFixed(2)} s` +
      (requests ? `, ${requests} requests -> ${(busy / requests).toFixed(0)} µs of main-thread CPU per request` : ""),
    "  package                          self    incl.  incl. per request",
  ];
  const cats = [...new Set([...self.keys(), ...inclusive.keys()])].filter((c) => c !== "(root)" && c !== "(idle)");
  cats.sort((a, b) => (self.get(b) ?? 0) - (self.get(a) ?? 0));
  // Inclusive time only counts the synchronous stack (an await starts a fresh one), so it is
  // meaningless for the runtime buckets that sit at the bottom of every stack.
  const runtime = new Set(["node internals", "(native)"]);
  for (const c of cats.slice(0, 18)) {
    const s = self.get(c) ?? 0;
    const inc = inclusive.get(c) ?? 0;
    lines.push(
      runtime.has(c)
        ? `  ${c.padEnd(30)} ${pct(s).padStart(7)}  ${"-".padStart(7)}  ${perReq(s)} (self)`
        : `  ${c.padEnd(30)} ${pct(s).padStart(7)}  ${pct(inc).padStart(7)}  ${perReq(inc)}`,
    );
  }
  lines.push("  top functions by self time:");
  for (const [fn, us] of [...fnSelf].sort((a, b) => b[1] - a[1]).slice(0, 15)) {
    lines.push(`    ${pct(us).padStart(6)}  ${fn}`);
  }
  return lines.join("\n");
}
