import { createHmac } from "node:crypto";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import type { Auth } from "../../src/server/auth/auth.server";
import { createSessionLookup } from "../../src/server/auth/session-lookup.server";
import { openSqlite } from "../../src/server/storage/sqlite.server";

const NAME = "better-auth.session_token";
const SECRET = "a secret long enough for a test only";
const DAY = 86_400;
const cookieFor = (token: string) => {
  const signature = createHmac("sha256", SECRET).update(token).digest("base64");
  return new Headers({ cookie: `${NAME}=${encodeURIComponent(`${token}.${signature}`)}` });
};

// The lookup against a bare SQLite store with better-auth's two tables, and
// a better-auth double that only answers the fallback (counted).
async function setup() {
  const { db } = openSqlite(":memory:");
  await sql`create table "user" (id text primary key, name text not null, handle text, bot integer not null default 0)`.execute(
    db,
  );
  await sql`create table "session" (id text primary key, token text unique not null,
    "userId" text not null, "expiresAt" text not null)`.execute(db);
  let clock = Date.now();
  const fallbacks: string[] = [];
  const auth = {
    $context: Promise.resolve({
      authCookies: { sessionToken: { name: NAME } },
      secret: SECRET,
      sessionConfig: { expiresIn: 7 * DAY, updateAge: DAY },
      options: {},
    }),
    api: {
      getSession: async ({ headers }: { headers: Headers }) => {
        fallbacks.push(headers.get("cookie") ?? "");
        return null;
      },
    },
  } as unknown as Auth;
  const lookup = createSessionLookup({ auth, db, ttlMs: 5_000, now: () => clock });
  const addSession = async (token: string, expiresInMs = 6.5 * DAY * 1000) => {
    await sql`insert into "user" (id, name, handle) values (${`u-${token}`}, 'Ann', 'ann')`.execute(
      db,
    );
    await sql`insert into "session" (id, token, "userId", "expiresAt")
      values (${`s-${token}`}, ${token}, ${`u-${token}`}, ${new Date(clock + expiresInMs).toISOString()})`.execute(
      db,
    );
  };
  const dropSession = (token: string) =>
    sql`delete from "session" where token = ${token}`.execute(db);
  return {
    db,
    lookup,
    fallbacks,
    addSession,
    dropSession,
    tick: (ms: number) => {
      clock += ms;
    },
  };
}

let opened: Awaited<ReturnType<typeof setup>>["db"] | undefined;
afterEach(async () => {
  await opened?.destroy();
  opened = undefined;
});

describe("createSessionLookup", () => {
  it("answers a live session from one query, then from the cache until forgotten", async () => {
    const t = await setup();
    opened = t.db;
    await t.addSession("tok1");
    const first = await t.lookup.lookup(cookieFor("tok1"));
    expect(first?.user).toEqual({ id: "u-tok1", name: "Ann", handle: "ann" });
    expect(first?.token).toBe("tok1");
    // Gone from the database: still answered within the TTL (what nobody was told of)...
    await t.dropSession("tok1");
    expect((await t.lookup.lookup(cookieFor("tok1")))?.token).toBe("tok1");
    // ...and refused at once once the watch reports it ended.
    t.lookup.forget("tok1");
    expect(await t.lookup.lookup(cookieFor("tok1"))).toBeNull();
    expect(t.fallbacks).toEqual([]);
  });

  it("reads the user fresh on a cached session: a new name or handle shows at once", async () => {
    const t = await setup();
    opened = t.db;
    await t.addSession("tok4");
    await t.lookup.lookup(cookieFor("tok4"));
    await sql`update "user" set name = 'Annie', handle = 'annie' where id = 'u-tok4'`.execute(t.db);
    const again = await t.lookup.lookup(cookieFor("tok4"));
    expect(again?.user).toEqual({ id: "u-tok4", name: "Annie", handle: "annie" });
    expect(t.lookup.size).toBe(1);
  });

  it("never reads inside another request's open transaction", async () => {
    const t = await setup();
    opened = t.db;
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let inserted: () => void = () => {};
    const didInsert = new Promise<void>((resolve) => {
      inserted = resolve;
    });
    // A transaction writes a session, waits, then rolls back.
    const rolledBack = t.db
      .transaction()
      .execute(async (trx) => {
        await sql`insert into "user" (id, name) values ('u-ghost', 'Ghost')`.execute(trx);
        await sql`insert into "session" (id, token, "userId", "expiresAt")
          values ('s-ghost', 'ghost', 'u-ghost', ${new Date(Date.now() + 6.5 * DAY * 1000).toISOString()})`.execute(
          trx,
        );
        inserted();
        await held;
        throw new Error("rolled back");
      })
      .catch(() => "rolled back");
    await didInsert;
    const answer = t.lookup.lookup(cookieFor("ghost"));
    release();
    expect(await rolledBack).toBe("rolled back");
    expect(await answer).toBeNull();
  });

  it("asks the database again once the TTL has passed", async () => {
    const t = await setup();
    opened = t.db;
    await t.addSession("tok2");
    expect(await t.lookup.lookup(cookieFor("tok2"))).not.toBeNull();
    await t.dropSession("tok2");
    t.tick(5_001);
    expect(await t.lookup.lookup(cookieFor("tok2"))).toBeNull();
  });

  it("never caches a refusal: a session created after one is found", async () => {
    const t = await setup();
    opened = t.db;
    expect(await t.lookup.lookup(cookieFor("late"))).toBeNull();
    await t.addSession("late");
    expect((await t.lookup.lookup(cookieFor("late")))?.token).toBe("late");
  });

  it("leaves expired sessions and sessions due for refresh to better-auth", async () => {
    const t = await setup();
    opened = t.db;
    await t.addSession("expired", -1_000);
    await t.addSession("due", 5 * DAY * 1000);
    expect(await t.lookup.lookup(cookieFor("expired"))).toBeNull();
    expect(await t.lookup.lookup(cookieFor("due"))).toBeNull();
    expect(t.fallbacks).toHaveLength(2);
    expect(t.lookup.size).toBe(0);
  });

  it("refuses a bad signature without a query or a fallback", async () => {
    const t = await setup();
    opened = t.db;
    await t.addSession("tok3");
    const forged = new Headers({ cookie: `${NAME}=tok3.${"A".repeat(43)}=` });
    expect(await t.lookup.lookup(forged)).toBeNull();
    expect(await t.lookup.lookup(new Headers())).toBeNull();
    expect(t.fallbacks).toEqual([]);
  });

  it("lets lapsed answers go as new ones come in", async () => {
    const t = await setup();
    opened = t.db;
    for (const token of ["a1", "a2", "a3"]) {
      await t.addSession(token);
      await t.lookup.lookup(cookieFor(token));
    }
    expect(t.lookup.size).toBe(3);
    t.tick(6_000);
    await t.addSession("b1");
    await t.lookup.lookup(cookieFor("b1"));
    expect(t.lookup.size).toBe(1);
  });
});
