import type { Db } from "@trellis/db";
import { is } from "drizzle-orm";
import { PgTransaction } from "drizzle-orm/pg-core";

/**
 * Prepared statements per database handle and query shape.
 *
 * A prepared drizzle query keeps its SQL text and result mapping, so running it again skips the
 * query builder; on postgres.js it also runs as a named statement, which each pooled connection
 * parses once instead of on every request (PGlite has no named statements: there it only saves
 * the builder). Entries are keyed by the handle (a WeakMap, so a closed and dropped handle takes
 * its statements with it) and by a shape key that the caller derives from which filters are
 * present, never from their values, so the number of statements stays small and fixed.
 *
 * A transaction handle gets no cache (`undefined`): it lives for one transaction, so a statement
 * prepared on it would never be reused, and on postgres.js it would stay bound to that
 * transaction's reserved connection. Callers run the unprepared query there. A handle on which
 * preparing fails (a driver without support) is remembered as such and also runs unprepared.
 */
export class StatementCache<P> {
  readonly #byDb = new WeakMap<Db, Map<string, P> | "unsupported">();

  /** The statement for this shape, prepared on first use; undefined when the caller should not prepare here. */
  get(db: Db, shape: string, prepare: () => P): P | undefined {
    if (is(db, PgTransaction)) return undefined;
    let statements = this.#byDb.get(db);
    if (statements === "unsupported") return undefined;
    if (!statements) {
      statements = new Map();
      this.#byDb.set(db, statements);
    }
    let statement = statements.get(shape);
    if (statement === undefined) {
      try {
        statement = prepare();
      } catch {
        this.#byDb.set(db, "unsupported");
        return undefined;
      }
      statements.set(shape, statement);
    }
    return statement;
  }
}
