import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";

// The tiny IPC protocol between the bench runner (parent) and a server under test (child).
// Every server runs in its own child process, started the same way, so the load generator
// (autocannon, in the parent) never shares an event loop with the server it measures.

export interface ServerSpec {
  /** The isolated bench database. */
  databaseUrl: string;
  redisUrl: string | undefined;
  /** postgres.js pool size, identical for every server. */
  poolSize: number;
  /** Only the Trellis app uses it. */
  authSecret: string;
  /** The app also works jobs itself (JOBS_IN_PROCESS=true): the bulk cases' worker. */
  jobsInProcess?: boolean;
}

export type ParentMessage =
  | { type: "start"; spec: ServerSpec }
  | { type: "stop" }
  | { type: "profile-start" }
  | { type: "profile-stop"; file: string }
  | { type: "cpu" };
export type ChildMessage =
  | { type: "ready"; url: string }
  | { type: "error"; message: string }
  | { type: "stopped" }
  | { type: "profiling" }
  | { type: "profiled"; file: string }
  | { type: "cpu"; user: number; system: number };

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

function send(msg: ChildMessage): void {
  process.send?.(msg);
}

/** Child side: waits for "start", reports "ready" with the URL, closes and exits on "stop". */
export function serve(start: (spec: ServerSpec) => Promise<RunningServer>): void {
  if (!process.send) {
    console.error("This is a bench server entry point; run `pnpm bench` instead.");
    process.exit(2);
  }
  let running: RunningServer | undefined;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    try {
      await running?.close();
    } finally {
      send({ type: "stopped" });
      process.exit(code);
    }
  };
  // The runner went away (crash, Ctrl-C): do not linger holding database connections.
  process.on("disconnect", () => void stop(0));
  process.on("SIGINT", () => void stop(130));
  process.on("SIGTERM", () => void stop(143));
  // CPU profiling on request, so a profile covers exactly the measured window (no start-up, no warm-up).
  let inspector: Session | undefined;
  const profileStart = async () => {
    inspector = new Session();
    inspector.connect();
    await inspector.post("Profiler.enable");
    await inspector.post("Profiler.setSamplingInterval", { interval: 250 });
    await inspector.post("Profiler.start");
    send({ type: "profiling" });
  };
  const profileStop = async (file: string) => {
    if (!inspector) throw new Error("profile-stop without profile-start");
    const { profile } = await inspector.post("Profiler.stop");
    inspector.disconnect();
    inspector = undefined;
    writeFileSync(file, JSON.stringify(profile));
    send({ type: "profiled", file });
  };
  const report = (err: unknown) => send({ type: "error", message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  process.on("message", (msg: ParentMessage) => {
    if (msg.type === "stop") void stop(0);
    else if (msg.type === "cpu") send({ type: "cpu", ...process.cpuUsage() });
    else if (msg.type === "profile-start") profileStart().catch(report);
    else if (msg.type === "profile-stop") profileStop(msg.file).catch(report);
    else if (msg.type === "start" && !running) {
      start(msg.spec).then(
        (server) => {
          running = server;
          send({ type: "ready", url: server.url });
        },
        (err: unknown) => {
          report(err);
          process.exit(1);
        },
      );
    }
  });
}
