import type { Db } from "@trellis/db";
import type { UserRole } from "@trellis/db/constants";
import type { Kv } from "@trellis/kv";
import type { Logger } from "../context.js";

/**
 * Who a use case acts for, without HTTP: a signed-in user (through a browser session or an API
 * token), or the system (a job, a script) — by itself, or on behalf of the user who asked for it.
 */
export type Actor = UserActor | SystemActor;

export interface UserActor {
  kind: "user";
  userId: string;
  role: UserRole;
  name: string;
  email: string;
  via: "session" | "token";
}

export interface SystemActor {
  kind: "system";
  /** What is acting, e.g. "import-job", "seed-script": for logs. */
  name: string;
  /** The user who started the work; recorded as the actor on the audit events it causes. */
  onBehalfOf?: string;
}

export const systemActor = (name: string, onBehalfOf?: string): SystemActor => ({ kind: "system", name, onBehalfOf });

/** The user an audit row names: the user, or the one a system actor acts for (null: the system alone). */
export function auditUserId(actor: Actor): string | null {
  return actor.kind === "user" ? actor.userId : (actor.onBehalfOf ?? null);
}

/** The user a change is made by or for; a system actor acting for no one may not make it. */
export function actingUserId(actor: Actor, change: string): string {
  const id = auditUserId(actor);
  if (!id) throw new Error(`The system actor "${actor.name}" must act on behalf of a user to ${change}`);
  return id;
}

/**
 * Sends a change notification once the transaction the context's `db` belongs to has committed.
 * A use case calls it after its own transaction resolved; whoever hands it a `db` that is already
 * inside a larger transaction (the idempotency middleware's) hands a `publish` that waits for that
 * transaction's commit (see afterCommit).
 */
export type Publish = (channel: string, message: string) => void;

/**
 * What every use case runs on: plain data and small interfaces, nothing of HTTP or tRPC. A
 * procedure builds it from its request (procedure-context.ts); a job, a script or a test builds it
 * directly.
 */
export interface DomainContext {
  db: Db;
  kv: Kv;
  actor: Actor;
  /** Correlates the log lines and audit events of one unit of work (an HTTP request, a job run). */
  requestId: string;
  now(): Date;
  log: Logger;
  publish: Publish;
  /** The Idempotency-Key the work runs under, recorded on its audit events. */
  idempotencyKey?: string;
  /** The job this work runs in, if any (for its audit events, see versioned-write.ts AuditEvent). */
  jobId?: string;
}

/**
 * Notifications held until a transaction commits: `publish` queues, `flush` hands each distinct one
 * to `send`, `discard` drops them (the transaction rolled back).
 */
export function afterCommit(send: (channel: string, message: string) => Promise<void> | void) {
  const pending = new Map<string, [channel: string, message: string]>();
  return {
    publish: ((channel, message) => {
      pending.set(`${channel}\u0000${message}`, [channel, message]);
    }) satisfies Publish,
    async flush(): Promise<void> {
      const sends = [...pending.values()];
      pending.clear();
      await Promise.all(sends.map(([channel, message]) => send(channel, message)));
    },
    discard(): void {
      pending.clear();
    },
  };
}

/**
 * Runs `work` in one transaction on a context whose `publish` waits for its commit: how a job or a
 * script runs several use cases as one unit (a single use case on a plain `db` needs none of this).
 */
export async function inTransaction<T>(ctx: DomainContext, work: (ctx: DomainContext) => Promise<T>): Promise<T> {
  const queued = afterCommit(ctx.publish);
  const result = await ctx.db.transaction((tx) => work({ ...ctx, db: tx as Db, publish: queued.publish }));
  // Committed: only now may others hear of it. (A throw above skips this, so nothing is sent.)
  await queued.flush();
  return result;
}
