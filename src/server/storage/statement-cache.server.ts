import type { DatabaseSync, SQLInputValue, StatementSync } from "node:sqlite";

/** A prepared statement in the shape Kysely's SqliteDialect drives (better-sqlite3's). */
export type CachedStatement = {
  readonly reader: boolean;
  all(parameters: readonly unknown[]): unknown[];
  run(parameters: readonly unknown[]): {
    changes: number | bigint;
    lastInsertRowid: number | bigint;
  };
  iterate(parameters: readonly unknown[]): IterableIterator<unknown>;
};

/**
 * Keeps node:sqlite statements per SQL text, least recently used dropped
 * first. Preparing (parsing and planning) cost about as much as running the
 * small statements of a send, and Kysely emits the same few texts over and
 * over; the bound keeps texts that vary (IN lists of any length) from
 * piling up. SQLite re-prepares a cached statement itself after a schema
 * change, so migrations need no flush.
 */
export class StatementCache {
  readonly #db: DatabaseSync;
  readonly #capacity: number;
  readonly #statements = new Map<string, StatementSync>();

  constructor(db: DatabaseSync, capacity = 200) {
    this.#db = db;
    this.#capacity = capacity;
  }

  /** The prepared statement for `sql`, prepared on first use. */
  get(sql: string): StatementSync {
    const cached = this.#statements.get(sql);
    if (cached) {
      // Re-inserting moves it to the young end of the Map's order.
      this.#statements.delete(sql);
      this.#statements.set(sql, cached);
      return cached;
    }
    const statement = this.#db.prepare(sql);
    this.#statements.set(sql, statement);
    if (this.#statements.size > this.#capacity) {
      const oldest = this.#statements.keys().next().value;
      if (oldest !== undefined) this.#statements.delete(oldest);
    }
    return statement;
  }

  get size(): number {
    return this.#statements.size;
  }
}

const wrappers = new WeakMap<StatementSync, CachedStatement>();

/** The statement in Kysely's shape, made once per statement (a send runs several). */
function wrap(statement: StatementSync): CachedStatement {
  let wrapper = wrappers.get(statement);
  if (!wrapper) {
    const args = (parameters: readonly unknown[]) => parameters as SQLInputValue[];
    wrapper = {
      // Rows come back from selects and from writes with RETURNING.
      reader: statement.columns().length > 0,
      all: (parameters) => statement.all(...args(parameters)),
      run: (parameters) => statement.run(...args(parameters)),
      iterate: (parameters) => statement.iterate(...args(parameters)),
    };
    wrappers.set(statement, wrapper);
  }
  return wrapper;
}

/**
 * A `database` for Kysely's SqliteDialect over node:sqlite with cached
 * statements (Kysely ships no node:sqlite dialect; its SqliteDialect
 * expects better-sqlite3's prepare/reader/all/run).
 */
export function kyselySqliteDatabase(db: DatabaseSync, cache: StatementCache, onClose: () => void) {
  return {
    prepare: (sql: string): CachedStatement => wrap(cache.get(sql)),
    close() {
      onClose();
      if (db.isOpen) db.close();
    },
  };
}
