import { randomUUID } from "node:crypto";
import type { Db } from "@trellis/db";
import type { Kv } from "@trellis/kv";
import type { Actor, DomainContext } from "../src/domain/context.js";

export interface Published {
  channel: string;
  message: string;
}

/**
 * A plain domain context, as a job or a script would build one: no HTTP, no SessionSigner.
 * `published` records what the use cases announced (in order), `publish` being immediate.
 */
export function domainContext(
  env: { db: Db; kv: Kv },
  actor: Actor,
  overrides: Partial<DomainContext> = {},
): DomainContext & { published: Published[] } {
  const published: Published[] = [];
  return {
    db: env.db,
    kv: env.kv,
    actor,
    requestId: randomUUID(),
    now: () => new Date(),
    log: { info() {}, warn() {} },
    publish: (channel, message) => {
      published.push({ channel, message });
    },
    ...overrides,
    published,
  };
}
