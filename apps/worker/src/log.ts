import type { WorkerConfig } from "@trellis/config";

const levels = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity } as const;
type Level = Exclude<keyof typeof levels, "silent">;

/** What the worker logs through: pino's call shape (object, message), as the server's logger and @trellis/api's Logger. */
export interface WorkerLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/**
 * One JSON object per line on stdout, pino's field names (level number, time, msg), so the
 * server's and the worker's logs go through the same pipeline. Not pino itself: a worker logs a
 * handful of lines, and this keeps its bundle free of pino's worker threads.
 */
export function createWorkerLog(level: WorkerConfig["logLevel"], base: Record<string, unknown>, out: (line: string) => void = (l) => process.stdout.write(l)): WorkerLog {
  const min = levels[level];
  const write = (l: Level, obj: object, msg: string) => {
    if (levels[l] < min) return;
    const fields = Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, v instanceof Error ? { message: v.message, stack: v.stack } : v]));
    out(`${JSON.stringify({ level: levels[l], time: Date.now(), ...base, ...fields, msg })}\n`);
  };
  return {
    info: (obj, msg) => write("info", obj, msg),
    warn: (obj, msg) => write("warn", obj, msg),
    error: (obj, msg) => write("error", obj, msg),
  };
}
