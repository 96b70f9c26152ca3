import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export interface ChildServer {
  url: string;
  process: ChildProcess;
  /** Resolves when the process has exited (it may kill itself at a fault point). */
  exited: Promise<number | null>;
  kill(): Promise<void>;
}

const main = fileURLToPath(new URL("../src/main.ts", import.meta.url));

/**
 * Runs the real server entry point in a child process, so a test can SIGKILL it mid-request
 * and start a fresh one against the same data. `env` is the child's whole configuration.
 */
export async function startChildServer(env: Record<string, string>): Promise<ChildServer> {
  const child = spawn(process.execPath, ["--import", "tsx", main], {
    // The child's whole environment is given here; only PATH is passed on (to find node and tsx).
    // eslint-disable-next-line no-restricted-properties
    env: { PATH: process.env.PATH ?? "", NODE_ENV: "test", HOST: "127.0.0.1", PORT: "0", LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`child server did not start:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(/Dashboard\s+(http:\/\/\S+)/);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", (c: Buffer) => {
      output += c.toString();
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`child server exited (${code}) before starting:\n${output}`));
    });
  });
  return {
    url,
    process: child,
    exited,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}
