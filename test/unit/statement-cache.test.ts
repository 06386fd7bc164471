import { DatabaseSync } from "node:sqlite";
import { describe, expect, it } from "vitest";
import { StatementCache } from "../../src/server/storage/statement-cache.server";

describe("StatementCache", () => {
  it("prepares a SQL text once and drops the least recently used past its bound", () => {
    const db = new DatabaseSync(":memory:");
    const cache = new StatementCache(db, 2);
    const a = cache.get("select 1");
    expect(cache.get("select 1")).toBe(a);
    const b = cache.get("select 2");
    cache.get("select 1"); // now "select 2" is the oldest
    cache.get("select 3");
    expect(cache.size).toBe(2);
    expect(cache.get("select 1")).toBe(a);
    expect(cache.get("select 2")).not.toBe(b);
    db.close();
  });

  it("keeps cached statements valid across a schema change", () => {
    const db = new DatabaseSync(":memory:");
    const cache = new StatementCache(db);
    db.exec("create table t (a)");
    cache.get("insert into t (a) values (?)").run(1);
    db.exec("alter table t add column b default 2");
    cache.get("insert into t (a) values (?)").run(3);
    expect(cache.get("select a, b from t order by a").all()).toEqual([
      { a: 1, b: 2 },
      { a: 3, b: 2 },
    ]);
    db.close();
  });
});
