import type { Socket } from "node:net";
import type { FastifyInstance } from "fastify";

const LOG_EVERY_MS = 10_000;

/**
 * Caps open TCP connections: `maxConnections` on the instance (Node's server.maxConnections: the
 * kernel-accepted socket is closed at once) and `perIp` from one socket address (0 = no cap; behind
 * a proxy every connection has the proxy's address). A connection over a cap is destroyed before a
 * byte is read. Refusals are logged at most once per 10 s, with how many there were.
 */
export function registerConnectionLimits(app: FastifyInstance, opts: { maxConnections: number; perIp: number }) {
  const server = app.server;
  server.maxConnections = opts.maxConnections;

  let refused = { perIp: 0, instance: 0 };
  let lastLog = 0;
  let lastAddress: string | undefined;
  const noteRefusal = (kind: "perIp" | "instance", address: string | undefined) => {
    refused[kind]++;
    lastAddress = address;
    const now = Date.now();
    if (now - lastLog < LOG_EVERY_MS) return;
    lastLog = now;
    app.log.warn(
      { refusedPerIp: refused.perIp, refusedMaxConnections: refused.instance, lastAddress, maxConnections: opts.maxConnections, connectionsPerIp: opts.perIp },
      "connections refused: over CONNECTIONS_PER_IP or MAX_CONNECTIONS",
    );
    refused = { perIp: 0, instance: 0 };
  };

  // Node closes connections beyond maxConnections itself and says so with 'drop'.
  server.on("drop", (data?: { remoteAddress?: string }) => noteRefusal("instance", data?.remoteAddress));

  if (opts.perIp <= 0) return;
  const open = new Map<string, number>();
  server.on("connection", (socket: Socket) => {
    const address = socket.remoteAddress;
    if (address === undefined) return; // already gone
    const count = (open.get(address) ?? 0) + 1;
    if (count > opts.perIp) {
      noteRefusal("perIp", address);
      socket.destroy();
      return;
    }
    open.set(address, count);
    socket.once("close", () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    });
  });
}
