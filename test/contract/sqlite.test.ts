import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { migrateToLatest } from "../../src/server/storage/migrations.server";
import { openSqlite, sqliteHandleOf } from "../../src/server/storage/sqlite.server";
import { createStorage } from "../../src/server/storage/storage.server";
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

async function openStore(path: string) {
  const { db, raw } = openSqlite(path);
  await migrateToLatest(db as never);
  // better-auth owns the user table in the app; the store only reads id and name.
  await sql`create table if not exists "user" (id text primary key, name text not null, handle text, email text, role text not null default 'member', bot integer not null default 0)`.execute(
    db,
  );
  const storage = createStorage(
    {
      db,
      dialect: "sqlite",
      async close() {
        await db.destroy();
        if (raw.isOpen) raw.close();
      },
    },
    { now: strictlyIncreasingClock() },
  );
  return {
    ...storage,
    db,
    dialect: "sqlite" as const,
    async addUser(id: string, name: string) {
      await db
        .insertInto("user")
        .values({ id, name })
        .onConflict((oc) => oc.doNothing())
        .execute();
    },
  };
}

const tempFile = () => join(mkdtempSync(join(tmpdir(), "parley-store-")), "chat.db");

describeStoreContract("sqlite", () => openStore(tempFile()));
describeAppendContract("sqlite", () => openStore(tempFile()));
describeSearchContract("sqlite", () => openStore(tempFile()));
describePeopleSearchContract("sqlite", () => openStore(tempFile()));
describeThreadContract("sqlite", () => openStore(tempFile()));
describePinsContract("sqlite", () => openStore(tempFile()));
describeSavedContract("sqlite", () => openStore(tempFile()));
describeFileClaimsContract("sqlite", () => openStore(tempFile()));
describeFileStoreContract("sqlite", () => openStore(tempFile()));
describeNotifyContract("sqlite", () => openStore(tempFile()));
describeRoomAdminContract("sqlite", () => openStore(tempFile()));
describeProfileDetailsContract("sqlite", () => openStore(tempFile()));
describeModerationContract("sqlite", () => openStore(tempFile()));
describeRoomSettingsContract("sqlite", () => openStore(tempFile()));

describe("sqlite driver", () => {
  it("keeps messages and seq across a reopen, and migrating twice is harmless", async () => {
    const path = tempFile();
    const first = await openStore(path);
    await first.addUser("u", "U");
    const room = await first.rooms.createRoom({ name: "a", slug: "a", createdBy: "u" });
    await post(first, {
      roomId: room.id,
      author: { id: "u", name: "U" },
      clientId: "1",
      text: "x",
    });
    await first.close();

    const second = await openStore(path);
    const next = await post(second, {
      roomId: room.id,
      author: { id: "u", name: "U" },
      clientId: "2",
      text: "y",
    });
    expect(next.message.seq).toBe(2);
    expect((await second.messages.history(room.id, { limit: 10 })).map((m) => m.text)).toEqual([
      "x",
      "y",
    ]);
    await second.close();
  });

  it("resolves appends started together only once another connection sees them", async () => {
    const path = tempFile();
    const store = await openStore(path);
    await store.addUser("u", "U");
    const room = await store.rooms.createRoom({ name: "a", slug: "a", createdBy: "u" });
    const other = new DatabaseSync(path, { readOnly: true });
    const visible = (clientId: string) =>
      other.prepare("select count(*) as n from message where client_id = ?").get(clientId)?.n;
    const author = { id: "u", name: "U" };
    await store.rooms.join(room.id, author.id);
    // Each check runs as its append resolves, before the next batch can start.
    const seen = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        stored(
          store.messages.appendIfMember({ roomId: room.id, author, clientId: `c${i}`, text: "x" }),
        ).then(() => visible(`c${i}`)),
      ),
    );
    expect(seen).toEqual(Array(20).fill(1));
    other.close();
    await store.close();
  });

  it("commits appends started together in one transaction (group commit)", async () => {
    const store = await openStore(tempFile());
    await store.addUser("u", "U");
    const room = await store.rooms.createRoom({ name: "a", slug: "a", createdBy: "u" });
    const handle = sqliteHandleOf(store.db);
    if (!handle) throw new Error("openSqlite registered no handle");
    const get = handle.statements.get.bind(handle.statements);
    let commits = 0;
    handle.statements.get = (text) => {
      if (text === "commit") commits++;
      return get(text);
    };
    const author = { id: "u", name: "U" };
    await store.rooms.join(room.id, author.id);
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        store.messages.appendIfMember({ roomId: room.id, author, clientId: `c${i}`, text: "x" }),
      ),
    );
    expect(results.every((result) => result.ok)).toBe(true);
    expect(commits).toBe(1);
    expect((await store.messages.position(room.id)).lastSeq).toBe(30);
    await store.close();
  });

  it("runs in WAL mode", async () => {
    const store = await openStore(tempFile());
    const { rows } = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(store.db);
    expect(rows[0]?.journal_mode).toBe("wal");
    await store.close();
  });
});
