import { randomUUID } from "node:crypto";
import { type Kysely, sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import type { Effect } from "../../src/core/actions/shared";
import { DAY_MS } from "../../src/core/retention";
import type { BlobStore } from "../../src/ports";
import type { Logger } from "../../src/server/log.server";
import {
  RETENTION_KEY,
  readServerRetention,
  writeRoomRetention,
  writeServerRetention,
} from "../../src/server/retention/retention-settings.server";
import { sweepPass, sweepRetention } from "../../src/server/retention/retention-sweep.server";
import { migrateToLatest } from "../../src/server/storage/migrations.server";
import type { Database } from "../../src/server/storage/schema.server";
import { openSqlite } from "../../src/server/storage/sqlite.server";
import { createStorage } from "../../src/server/storage/storage.server";
import { post } from "./post";

// The sweep against a real SQLite database, in process: the paths the
// server-level tests cannot steer (a failing publish or blob store, small
// batches, the watermark, stored values that break the rule).
const NOW = Date.UTC(2026, 11, 2);
const author = { id: "u1", name: "Ann" };

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function open(): Promise<ReturnType<typeof createStorage> & { db: Kysely<Database> }> {
  const { db, raw } = openSqlite(":memory:");
  await migrateToLatest(db as never);
  await sql`create table if not exists "user" (id text primary key, name text not null, handle text, email text, role text not null default 'member', bot integer not null default 0)`.execute(
    db,
  );
  await db.insertInto("user").values({ id: author.id, name: author.name }).execute();
  const storage = createStorage(
    {
      db,
      dialect: "sqlite",
      async close() {
        await db.destroy();
        if (raw.isOpen) raw.close();
      },
    },
    { now: () => NOW },
  );
  closers.push(() => storage.close());
  return { ...storage, db };
}

type Opened = Awaited<ReturnType<typeof open>>;

/** Posts `count` messages to a new room and dates them `days` ago (oldest first). */
async function roomWith(store: Opened, count: number, days: number) {
  const slug = `r-${randomUUID().slice(0, 8)}`;
  const room = await store.rooms.ensureRoom({ name: slug, slug });
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const { message } = await post(store, {
      roomId: room.id,
      author,
      clientId: randomUUID(),
      text: `m${i}`,
    });
    ids.push(message.id);
  }
  await store.db
    .updateTable("message")
    .set({ created_at: NOW - days * DAY_MS })
    .where("room_id", "=", room.id)
    .execute();
  return { roomId: room.id, ids };
}

async function withFile(db: Kysely<Database>, messageId: string, roomId: string) {
  const id = randomUUID();
  await db
    .insertInto("file")
    .values({
      id,
      uploader_id: author.id,
      name: "a.txt",
      size: 1,
      content_type: "text/plain",
      blob_key: `files/${id}`,
      thumb_key: null,
      width: null,
      height: null,
      created_at: NOW,
      room_id: roomId,
      message_id: messageId,
    })
    .execute();
  return `files/${id}`;
}

const alive = async (db: Kysely<Database>, roomId: string) =>
  (
    await db
      .selectFrom("message")
      .select("text")
      .where("room_id", "=", roomId)
      .where("deleted_at", "is", null)
      .orderBy("seq")
      .execute()
  ).map((row) => row.text);

function recordingLog() {
  const warnings: string[] = [];
  const log: Logger = {
    debug: () => {},
    info: () => {},
    warn: (msg) => warnings.push(msg),
    error: (msg) => warnings.push(msg),
  };
  return { log, warnings };
}

const blobsThat = (remove: (key: string) => Promise<void>) =>
  ({ where: "test", delete: remove }) as unknown as BlobStore;

describe("the retention sweep (SQLite, in process)", () => {
  it("sweeps in passes of the batch, one audit row each, and stops when none is full", async () => {
    const store = await open();
    const { roomId } = await roomWith(store, 5, 10);
    await writeRoomRetention(store.db, roomId, 3, author.id);
    const published: Effect[][] = [];
    const run = await sweepRetention({
      db: store.db,
      blobs: blobsThat(async () => {}),
      log: recordingLog().log,
      publish: async (effects) => {
        published.push(effects);
      },
      now: () => NOW,
      batch: 2,
    });
    expect(run).toEqual({ deleted: 5, files: 0, passes: 3 });
    expect(await alive(store.db, roomId)).toEqual([]);
    const audits = await store.db
      .selectFrom("audit_log")
      .select("details")
      .where("action", "=", "retention.sweep")
      .execute();
    expect(audits.map((a) => JSON.parse(a.details).messages)).toEqual([2, 2, 1]);
    expect(published.map((effects) => effects.length)).toEqual([2, 2, 1]);
    // Nothing is left to do: a second run reads nothing and audits nothing.
    const again = await sweepPass(store.db, { now: NOW, batch: 2 });
    expect([again.deleted, again.more]).toEqual([0, false]);
  });

  it("a failing publish and a failing blob store are logged; the deletions stand", async () => {
    const store = await open();
    const { roomId, ids } = await roomWith(store, 2, 10);
    const key = await withFile(store.db, ids[0] as string, roomId);
    await writeServerRetention(store.db, 1, author.id);
    const { log, warnings } = recordingLog();
    const tried: string[] = [];
    const run = await sweepRetention({
      db: store.db,
      blobs: blobsThat(async (k) => {
        tried.push(k);
        throw new Error("disk gone");
      }),
      log,
      publish: async () => {
        throw new Error("no realtime");
      },
      now: () => NOW,
    });
    expect(run).toMatchObject({ deleted: 2, files: 1 });
    expect(tried).toEqual([key]);
    expect(warnings).toEqual([
      "retention sweep: deletions not published",
      "retention sweep: blob not deleted",
    ]);
    expect(await alive(store.db, roomId)).toEqual([]);
    expect(await store.db.selectFrom("file").select("id").execute()).toEqual([]);
  });

  it("stops at the first message young enough, and reads on from its watermark", async () => {
    const store = await open();
    const { roomId, ids } = await roomWith(store, 4, 10);
    // The third is young: it and everything after it stay.
    await store.db
      .updateTable("message")
      .set({ created_at: NOW - DAY_MS })
      .where("id", "=", ids[2] as string)
      .execute();
    await writeRoomRetention(store.db, roomId, 5, author.id);
    const first = await sweepPass(store.db, { now: NOW });
    expect(first.deleted).toBe(2);
    expect(await alive(store.db, roomId)).toEqual(["m2", "m3"]);
    const room = await store.db
      .selectFrom("room")
      .select(["retention_seq", "last_rev"])
      .where("id", "=", roomId)
      .executeTakeFirstOrThrow();
    expect(room.retention_seq).toBe(2);
    // Each deletion took a revision of its own.
    const revs = await store.db
      .selectFrom("message")
      .select("rev")
      .where("room_id", "=", roomId)
      .where("deleted_at", "is not", null)
      .orderBy("seq")
      .execute();
    expect(revs.map((r) => r.rev)).toEqual([Number(room.last_rev) - 1, Number(room.last_rev)]);
    // Below the watermark nothing is read again, even a message brought back by hand.
    await store.db
      .updateTable("message")
      .set({ deleted_at: null, text: "restored by hand" })
      .where("id", "=", ids[0] as string)
      .execute();
    const second = await sweepPass(store.db, { now: NOW + 10 * DAY_MS });
    expect(second.deleted).toBe(2);
    expect(await alive(store.db, roomId)).toEqual(["restored by hand"]);
  });

  it("reads a stored value that breaks the rule as forever, and has no limit for DMs", async () => {
    const store = await open();
    for (const bad of ['"soon"', "-3", "2.5", "99999", "not json"]) {
      await store.db
        .insertInto("server_setting")
        .values({ key: RETENTION_KEY, value: bad })
        .onConflict((oc) => oc.column("key").doUpdateSet({ value: bad }))
        .execute();
      expect([bad, await readServerRetention(store.db)]).toEqual([bad, null]);
    }
    const dm = randomUUID();
    await store.db
      .insertInto("room")
      .values({ id: dm, slug: `dm-${dm}`, name: "dm", kind: "dm", created_at: NOW } as never)
      .execute();
    expect(await writeRoomRetention(store.db, dm, 3, author.id)).toBe(false);
    expect(await writeRoomRetention(store.db, randomUUID(), 3, author.id)).toBe(false);
    const audits = await store.db.selectFrom("audit_log").select("id").execute();
    expect(audits).toEqual([]);
  });
});
