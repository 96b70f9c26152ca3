import type { Db } from "@trellis/db";
import { DomainError } from "../errors.js";
import { createReplayCache } from "../idempotency/cache.js";
import { fingerprintOf } from "../idempotency/fingerprint.js";
import { assertValidKey } from "../idempotency/key.js";
import { errorOutcome, isStorable, replayOutcome, successOutcome } from "../idempotency/outcome.js";
import { findLiveRecord, insertRecord, lockScope, type Scope, type StoredOutcome, takeLiveRecord } from "../idempotency/store.js";
import { middleware } from "../trpc.js";
import { answerEarly } from "./answer-early.js";

const REPLAY_HEADER = "Idempotent-Replayed";

/** The result as it may be stored: secrets shown once are replaced by null (see Meta.secretOutput). */
function withoutSecrets(data: unknown, fields: readonly string[] | undefined): unknown {
  if (!fields?.length || !data || typeof data !== "object") return data;
  return { ...data, ...Object.fromEntries(fields.map((f) => [f, null])) };
}

function isLockTimeout(error: unknown): boolean {
  for (let e: unknown = error; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === "55P03") return true;
  }
  return false;
}

/**
 * Exactly-once mutations. With an Idempotency-Key, the first attempt's outcome is stored in the
 * same transaction as its effects; a repeat with the same input replays it, a repeat with other
 * input is 422, and a repeat while the first is still running waits briefly, then gets 409.
 * Postgres decides; the kv store is only a fast path.
 */
export const idempotency = middleware(async ({ ctx, next, path, type, meta, getRawInput }) => {
  if (type !== "mutation") return next();
  const key = ctx.idempotencyKey;
  const policy = meta?.idempotencyKey ?? "optional";
  if (key === undefined) {
    if (policy === "required" || (policy === "rest" && ctx.surface === "rest")) {
      throw new DomainError("IDEMPOTENCY_KEY_REQUIRED", "This operation needs an Idempotency-Key header (e.g. a UUID per intent)", {
        fieldErrors: { "Idempotency-Key": ["Required"] },
      });
    }
    return next();
  }
  assertValidKey(key);
  if (ctx.callsInRequest > 1) {
    throw new DomainError("IDEMPOTENCY_KEY_IN_BATCH", "Send keyed mutations one per request: a batch shares one Idempotency-Key");
  }

  const { services } = ctx;
  const { log } = services;
  const settings = services.idempotency;
  const scope: Scope = { principalId: ctx.principal?.userId ?? "anonymous", path, key };
  const fingerprint = fingerprintOf(await getRawInput(), { fields: meta?.secretInput ?? [], key: services.fingerprintSecret });
  const cache = createReplayCache(ctx.kv, (err) =>
    log.warn({ err: err instanceof Error ? err.message : String(err) }, "idempotency cache unavailable; Postgres alone decides"),
  );

  const replay = (stored: StoredOutcome, source: "cache" | "database") => {
    if (stored.fingerprint !== fingerprint) {
      log.info({ path, key, requestId: ctx.requestId }, "idempotency key reused with different input");
      throw new DomainError(
        "IDEMPOTENCY_KEY_REUSED",
        "This Idempotency-Key was already used with different input; use a new key for a new intent",
      );
    }
    log.info({ path, key, source, originalRequestId: stored.requestId }, "idempotent replay");
    ctx.response.setHeader(REPLAY_HEADER, "true");
    // Answers without calling the handler.
    return answerEarly(replayOutcome(stored));
  };
  const inProgress = () => {
    const retryAfterSeconds = Math.max(1, Math.ceil(settings.waitMs / 1000));
    log.info({ path, key }, "idempotency key in flight");
    ctx.response.setHeader("Retry-After", String(retryAfterSeconds));
    return new DomainError("IDEMPOTENCY_IN_PROGRESS", "A request with this Idempotency-Key is still running; retry shortly", {
      retryAfterSeconds,
    });
  };

  const cached = await cache.get(scope, services.now());
  if (cached) return replay(cached, "cache");

  // Early in-flight detection: duplicates that arrive together wait here, not on a database
  // transaction. The marker may outlive a crashed attempt, so Postgres is asked too: an outcome
  // committed just before the crash replays at once instead of waiting out the marker.
  if (!(await cache.claim(scope, settings.lockTimeoutMs))) {
    const deadline = Date.now() + settings.waitMs;
    for (;;) {
      const done = await cache.get(scope, services.now());
      if (done) return replay(done, "cache");
      const committed = await findLiveRecord(ctx.db, scope, services.now());
      if (committed) return replay(committed, "database");
      if (Date.now() >= deadline) throw inProgress();
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  try {
    type Attempt =
      | { kind: "replay"; stored: StoredOutcome }
      | { kind: "ran"; stored: StoredOutcome; result: Awaited<ReturnType<typeof next>> }
      | { kind: "failed"; stored: StoredOutcome; error: DomainError };
    let attempt: Attempt;
    try {
      attempt = await ctx.db.transaction(async (tx): Promise<Attempt> => {
        await lockScope(tx, scope, settings.waitMs);
        const now = services.now();
        const existing = await takeLiveRecord(tx, scope, now);
        if (existing) return { kind: "replay", stored: existing };

        const expiresAt = new Date(now.getTime() + settings.ttlMs);
        let result: Awaited<ReturnType<typeof next>>;
        try {
          // A savepoint: a domain error undoes the handler's effects but keeps our record.
          result = await tx.transaction(async (sp) => {
            const r = await next({ ctx: { db: sp as Db } });
            if (!r.ok) throw r.error;
            return r;
          });
        } catch (error) {
          if (!isStorable(error)) throw error;
          const stored = errorOutcome(error, fingerprint, ctx.requestId, expiresAt);
          await insertRecord(tx, scope, stored, now);
          return { kind: "failed", stored, error };
        }
        const stored = successOutcome(withoutSecrets(result.ok ? result.data : undefined, meta?.secretOutput), fingerprint, ctx.requestId, expiresAt);
        await insertRecord(tx, scope, stored, now);
        services.faults.beforeCommit?.();
        return { kind: "ran", stored, result };
      });
    } catch (error) {
      if (isLockTimeout(error)) throw inProgress();
      throw error;
    }

    if (attempt.kind === "replay") {
      await cache.put(scope, attempt.stored, services.now());
      return replay(attempt.stored, "database");
    }
    services.faults.afterCommit?.();
    await cache.put(scope, attempt.stored, services.now());
    if (attempt.kind === "failed") throw attempt.error;
    return attempt.result;
  } finally {
    await cache.release(scope);
  }
});
