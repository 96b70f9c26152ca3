import type { Db } from "@trellis/db";
import type { Services } from "../context.js";
import { sweepExpired } from "./store.js";

/** Periodically deletes expired idempotency records; returns a function that stops it. */
export function startIdempotencySweeper(db: Db, services: Services, intervalMs: number): () => Promise<void> {
  let running: Promise<void> | undefined;
  const sweep = () => {
    running ??= sweepExpired(db, services.now())
      .then((count) => {
        if (count > 0) services.log.info({ count }, "swept expired idempotency records");
      })
      .catch((err: unknown) => services.log.warn({ err }, "idempotency sweep failed"))
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(sweep, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
