import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { ALLOW } from "../../src/core/policy";
import { STEPS } from "../../src/server/storage/migrations";
import { migrateToLatest } from "../../src/server/storage/migrations.server";
import { openPostgres, withMigrationLock } from "../../src/server/storage/postgres.server";
import { createStorage } from "../../src/server/storage/storage.server";
import { adminQuery, postgresAvailable, TEST_POSTGRES_URL } from "../helpers/services";
import { describeAppendContract } from "./append.contract";
import { strictlyIncreasingClock } from "./clock";
import { describeFileClaimsContract } from "./file-claims.contract";
import { describeFileStoreContract } from "./file-store.contract";
import { describeModerationContract } from "./moderation.contract";
import { describeNotifyContract } from "./notify-store.contract";
import { describePeopleSearchContract } from "./people-search.contract";
import { describePinsContract, describeSavedContract } from "./pins-saved.contract";
import { post, stored } from "./post";
import { describeProfileDetailsContract } from "./profile-details.contract";
import { describeRoomAdminContract } from "./room-admin.contract";
import { describeRoomSettingsContract } from "./room-settings.contract";
import { describeSearchContract } from "./search.contract";
import { describeStoreContract } from "./stores.contract";
import { describeThreadContract } from "./threads.contract";

/** Every migration step the code declares, in order. */
const STEP_NAMES = STEPS.map(([name]) => name);

const ready = await postgresAvailable();

/** A fresh, empty schema of its own for each test, so tests never see each other's rows. */
async function freshSchema(): Promise<string> {
  const schema = `t_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
  await adminQuery(`create schema ${schema}`);
  return schema;
}

/**
 * A driver over `schema`, migrated under the lock as the runtime does it.
 * The owner drops the schema on close, at once: Kysely's migrator inspects
 * every table of the database, so leftover schemas slow each later test.
 */
async function openStore(schema: string, { owner = true } = {}) {
  const { db, pool } = openPostgres({ url: TEST_POSTGRES_URL, schema, max: 4 });
  await withMigrationLock(db, async () => {
    await migrateToLatest(db as never, "postgres");
    // better-auth owns the user table in the app; the store only reads id and name.
    await sql`create table if not exists "user" (id text primary key, name text not null, handle text, email text, role text not null default 'member', bot integer not null default 0)`.execute(
      db,
    );
  });
  const storage = createStorage(
    {
      db,
      dialect: "postgres",
      async close() {
        await db.destroy();
        if (owner) await adminQuery(`drop schema ${schema} cascade`);
      },
    },
    { now: strictlyIncreasingClock() },
  );
  return {
    ...storage,
    db,
    dialect: "postgres" as const,
    pool,
    async addUser(id: string, name: string) {
      await db
        .insertInto("user")
        .values({ id, name })
        .onConflict((oc) => oc.doNothing())
        .execute();
    },
  };
}

const ann = { id: "u-ann", name: "Ann" };

type Store = Awaited<ReturnType<typeof openStore>>;

/** Two stores on one fresh schema through separate pools, as two instances would be. */
async function withTwoInstances(run: (one: Store, two: Store) => Promise<void>) {
  const schema = await freshSchema();
  const one = await openStore(schema, { owner: false });
  const two = await openStore(schema);
  try {
    await run(one, two);
  } finally {
    await one.close();
    await two.close();
  }
}

if (ready) {
  describeStoreContract("postgres", async () => openStore(await freshSchema()));
  describeAppendContract("postgres", async () => openStore(await freshSchema()));
  describeSearchContract("postgres", async () => openStore(await freshSchema()));
  describePeopleSearchContract("postgres", async () => openStore(await freshSchema()));
  describeThreadContract("postgres", async () => openStore(await freshSchema()));
  describePinsContract("postgres", async () => openStore(await freshSchema()));
  describeSavedContract("postgres", async () => openStore(await freshSchema()));
  describeFileClaimsContract("postgres", async () => openStore(await freshSchema()));
  describeFileStoreContract("postgres", async () => openStore(await freshSchema()));
  describeNotifyContract("postgres", async () => openStore(await freshSchema()));
  describeRoomAdminContract("postgres", async () => openStore(await freshSchema()));
  describeProfileDetailsContract("postgres", async () => openStore(await freshSchema()));
  describeModerationContract("postgres", async () => openStore(await freshSchema()));
  describeRoomSettingsContract("postgres", async () => openStore(await freshSchema()));

  describe("postgres driver", () => {
    it("keeps seq gap-free with many concurrent appends through two separate pools", async () => {
      await withTwoInstances(async (one, two) => {
        await one.addUser(ann.id, ann.name);
        const a = await one.rooms.createRoom({ name: "a", slug: "a", createdBy: ann.id });
        const b = await one.rooms.createRoom({ name: "b", slug: "b", createdBy: ann.id });
        for (const room of [a, b]) await one.rooms.join(room.id, ann.id);
        const results = await Promise.all(
          Array.from({ length: 200 }, (_, i) =>
            stored(
              (i % 2 ? one : two).messages.appendIfMember({
                roomId: i % 4 < 2 ? a.id : b.id,
                author: ann,
                clientId: `c${i}`,
                text: `m${i}`,
              }),
            ),
          ),
        );
        const oneToHundred = Array.from({ length: 100 }, (_, i) => i + 1);
        for (const room of [a, b]) {
          const seqs = results
            .filter((r) => r.message.roomId === room.id)
            .map((r) => r.message.seq)
            .sort((x, y) => x - y);
          expect(seqs).toEqual(oneToHundred);
          const stored = await two.messages.after(room.id, 0, 500);
          expect(stored.map((m) => m.seq)).toEqual(oneToHundred);
          expect(await one.messages.position(room.id)).toEqual({ lastSeq: 100, lastRev: 0 });
        }
      });
    });

    it("stores a clientId retried through two pools at once exactly once", async () => {
      await withTwoInstances(async (one, two) => {
        await one.addUser(ann.id, ann.name);
        const a = await one.rooms.createRoom({ name: "a", slug: "a", createdBy: ann.id });
        await one.rooms.join(a.id, ann.id);
        const send = (store: typeof one, clientId: string) =>
          stored(
            store.messages.appendIfMember({ roomId: a.id, author: ann, clientId, text: clientId }),
          );
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) => send(i % 2 ? one : two, `same-${i % 5}`)),
        );
        expect(results.filter((r) => !r.duplicate)).toHaveLength(5);
        expect(new Set(results.map((r) => r.message.id)).size).toBe(5);
        expect((await one.messages.after(a.id, 0, 50)).map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
        expect(await one.messages.position(a.id)).toEqual({ lastSeq: 5, lastRev: 0 });
      });
    });

    it("never edits a message back to life when an edit races its deletion", async () => {
      await withTwoInstances(async (one, two) => {
        await one.addUser(ann.id, ann.name);
        const a = await one.rooms.createRoom({ name: "a", slug: "a", createdBy: ann.id });
        for (let i = 0; i < 20; i++) {
          const { message } = await post(one, {
            roomId: a.id,
            author: ann,
            clientId: `c${i}`,
            text: "original",
          });
          const [edited, removed] = await Promise.all([
            one.messages.edit(a.id, message.id, "edited", () => ALLOW),
            two.messages.remove(a.id, message.id, () => ALLOW),
          ]);
          expect(removed.ok).toBe(true);
          // The edit either went first (and was then deleted) or found it gone.
          if (!edited.ok) expect(edited.reason).toBe("not_found");
        }
        const alive = await one.db
          .selectFrom("message")
          .select("id")
          .where((eb) => eb.or([eb("deleted_at", "is", null), eb("text", "!=", "")]))
          .execute();
        expect(alive).toEqual([]);
      });
    });

    it("lets several instances migrate one schema at once; each step is applied once", async () => {
      const schema = await freshSchema();
      const stores = await Promise.all([1, 2, 3].map(() => openStore(schema, { owner: false })));
      try {
        const { rows } = await sql<{ name: string }>`select name from parley_migration`.execute(
          stores[0]?.db ?? (undefined as never),
        );
        expect(rows.map((r) => r.name).sort()).toEqual(STEP_NAMES);
      } finally {
        for (const store of stores) await store.db.destroy();
        await adminQuery(`drop schema ${schema} cascade`);
      }
    });

    it("waits for the migration lock another instance holds", async () => {
      const schema = await freshSchema();
      const holder = await openStore(schema, { owner: false });
      let release = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      const holding = withMigrationLock(holder.db, () => held);
      let opened = false;
      const second = openStore(schema).then((store) => {
        opened = true;
        return store;
      });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(opened).toBe(false);
      release();
      await holding;
      const store = await second;
      expect(opened).toBe(true);
      await holder.db.destroy();
      await store.close();
    });

    it("reads bigint columns and counts as numbers", async () => {
      const store = await openStore(await freshSchema());
      try {
        await store.addUser(ann.id, ann.name);
        const a = await store.rooms.createRoom({ name: "a", slug: "a", createdBy: ann.id });
        await post(store, { roomId: a.id, author: ann, clientId: "1", text: "x" });
        const row = await store.db
          .selectFrom("message")
          .select(["seq", "created_at", (eb) => eb.fn.countAll().as("n")])
          .groupBy(["seq", "created_at"])
          .executeTakeFirstOrThrow();
        expect([typeof row.seq, typeof row.created_at, typeof row.n]).toEqual([
          "number",
          "number",
          "number",
        ]);
      } finally {
        await store.close();
      }
    });
  });
}
// An unreachable service: services.ts printed a loud banner (with CI=true
// it throws instead). A visible skipped entry keeps vitest's report honest.
describe.skipIf(ready)("postgres driver (PostgreSQL unreachable: skipped, see the banner)", () => {
  it("needs the service", () => {});
});
