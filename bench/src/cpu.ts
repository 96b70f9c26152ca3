import { readFile } from "node:fs/promises";
import postgres from "postgres";

/** Cumulative CPU time in µs per process id; a measurement is the difference of two snapshots. */
export type CpuSnapshot = () => Promise<Map<number, number>>;

/** CPU used between two snapshots; processes that appeared in between count from zero. */
export function cpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let us = 0;
  for (const [pid, t] of after) us += Math.max(0, t - (before.get(pid) ?? 0));
  return us;
}

// /proc/<pid>/stat counts in clock ticks; USER_HZ is 100 on every mainstream Linux build.
const TICK_US = 10_000;

async function procCpuUs(pid: number): Promise<number | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    // Fields after "(comm)": state is field 3, utime field 14, stime field 15.
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(rest[11]) + Number(rest[12])) * TICK_US;
  } catch {
    return undefined;
  }
}

export interface PostgresCpu {
  snapshot: CpuSnapshot;
  close(): Promise<void>;
}

/**
 * CPU of the Postgres backends serving `database`, read from /proc. Only possible when Postgres
 * runs on this machine (loopback URL, Linux); otherwise undefined and the column stays empty.
 */
export async function postgresCpu(url: string, database: string): Promise<PostgresCpu | undefined> {
  const host = new URL(url).hostname;
  if (process.platform !== "linux" || !["127.0.0.1", "localhost", "[::1]", "::1"].includes(host)) return undefined;
  const client = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  const snapshot: CpuSnapshot = async () => {
    const rows = await client<Array<{ pid: number }>>`
      select pid from pg_stat_activity where datname = ${database} and pid <> pg_backend_pid()`;
    const out = new Map<number, number>();
    for (const { pid } of rows) {
      const us = await procCpuUs(pid);
      if (us !== undefined) out.set(pid, us);
    }
    return out;
  };
  try {
    // Postgres in a container or on another host: pids are not ours to read.
    const probe = await client<Array<{ pid: number }>>`select pg_backend_pid() as pid`;
    if ((await procCpuUs(probe[0]?.pid ?? -1)) === undefined) {
      await client.end({ timeout: 5 });
      return undefined;
    }
  } catch {
    await client.end({ timeout: 5 });
    return undefined;
  }
  return { snapshot, close: () => client.end({ timeout: 5 }) };
}
