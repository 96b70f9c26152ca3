import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { ChildMessage, ParentMessage, ServerSpec } from "./protocol.js";

export type ServerKind = "baseline" | "app";

export interface ServerProcess {
  kind: ServerKind;
  url: string;
  pid: number;
  /** The server process's CPU time so far (user + system, µs), keyed by its pid. */
  cpuUsage(): Promise<Map<number, number>>;
  /** Starts the V8 sampling profiler inside the server. */
  profileStart(): Promise<void>;
  /** Stops it and writes a .cpuprofile (Chrome DevTools format) to `file`. */
  profileStop(file: string): Promise<void>;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

/**
 * Forks a server entry point with the same Node flags as this process (the tsx loader),
 * so the baseline and the app are started and treated identically.
 */
export function startServer(kind: ServerKind, spec: ServerSpec): Promise<ServerProcess> {
  const entry = fileURLToPath(new URL(`./${kind}.ts`, import.meta.url));
  const child = fork(entry, [], { execArgv: process.execArgv, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const send = (msg: ParentMessage) => child.connected && child.send(msg);

  return new Promise<ServerProcess>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${kind} server did not start within ${READY_TIMEOUT_MS / 1000} s`));
    }, READY_TIMEOUT_MS);
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(timer);
      reject(new Error(`${kind} server exited before it was ready (code ${code}, signal ${signal})`));
    };
    child.once("exit", onExit);
    child.on("message", (msg: ChildMessage) => {
      if (msg.type === "error") {
        clearTimeout(timer);
        child.off("exit", onExit);
        reject(new Error(`${kind} server failed to start:\n${msg.message}`));
      } else if (msg.type === "ready") {
        clearTimeout(timer);
        child.off("exit", onExit);
        resolve({
          kind,
          url: msg.url,
          pid: child.pid ?? -1,
          cpuUsage: async () => {
            const m = await request(child, send, { type: "cpu" }, "cpu");
            return new Map([[child.pid ?? 0, m.type === "cpu" ? m.user + m.system : 0]]);
          },
          profileStart: async () => void (await request(child, send, { type: "profile-start" }, "profiling")),
          profileStop: async (file) => void (await request(child, send, { type: "profile-stop", file }, "profiled")),
          stop: () => stopChild(child, send),
        });
      }
    });
    send({ type: "start", spec });
  });
}

function request(
  child: ChildProcess,
  send: (msg: ParentMessage) => void,
  msg: ParentMessage,
  answer: ChildMessage["type"],
): Promise<ChildMessage> {
  return new Promise<ChildMessage>((resolve, reject) => {
    const onMessage = (m: ChildMessage) => {
      if (m.type !== answer && m.type !== "error") return;
      child.off("message", onMessage);
      if (m.type === "error") reject(new Error(m.message));
      else resolve(m);
    };
    child.on("message", onMessage);
    send(msg);
  });
}

function stopChild(child: ChildProcess, send: (msg: ParentMessage) => void): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    send({ type: "stop" });
  });
}
