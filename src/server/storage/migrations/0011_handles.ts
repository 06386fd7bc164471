import { type Kysely, type Migration, sql } from "kysely";
import { firstFreeHandle, suggestHandle } from "../../../core/handles";
import { mentionHandle, mentionSpans } from "../../../core/mentions";
import type { SqlDialect } from "../migrations.server";

// Issue 17: every account gets a unique handle, and mentions are `@handle`.
// better-auth adds the (nullable) column itself when it already knows the
// field (it migrates first in the app); bare stores and older databases get
// it here. Existing accounts get a handle from their name, oldest first (the
// first Dana keeps "dana", the next gets "dana2"), and old mentions, which
// matched a member's name without spaces (`@BobOkafor`), are rewritten to
// that member's handle so they keep working. The unique index is on
// lower(handle): handles are stored lower case, and the index is what makes
// two racing sign-ups for one handle fail one of them.
export function handles(dialect: SqlDialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (!(await hasTable(db, dialect))) return;
      if (!(await hasHandleColumn(db, dialect))) {
        await db.schema.alterTable("user").addColumn("handle", "text").execute();
      }
      const handleOf = await giveHandles(db);
      await db.schema
        .createIndex("user_handle_unique")
        .ifNotExists()
        .on("user")
        .unique()
        .expression(sql`lower(handle)`)
        .execute();
      await rewriteMentions(db, handleOf);
    },
  };
}

async function hasTable(db: Kysely<unknown>, dialect: SqlDialect): Promise<boolean> {
  const query =
    dialect === "sqlite"
      ? sql<{
          found: unknown;
        }>`select name as found from sqlite_master where type = 'table' and name = 'user'`
      : sql<{ found: unknown }>`select to_regclass('"user"') as found`;
  return Boolean((await query.execute(db)).rows[0]?.found);
}

async function hasHandleColumn(db: Kysely<unknown>, dialect: SqlDialect): Promise<boolean> {
  const query =
    dialect === "sqlite"
      ? sql<{
          found: unknown;
        }>`select name as found from pragma_table_info('user') where name = 'handle'`
      : sql<{ found: unknown }>`select column_name as found from information_schema.columns
          where table_schema = current_schema() and table_name = 'user' and column_name = 'handle'`;
  return (await query.execute(db)).rows.length > 0;
}

type UserRow = { id: string; name: string; handle: string | null; createdAt?: unknown };

/** Gives every account without a handle one; answers every user's handle by id. */
async function giveHandles(db: Kysely<unknown>): Promise<Map<string, string>> {
  const { rows } = await sql<UserRow>`select * from "user"`.execute(db);
  const created = (row: UserRow) => new Date(row.createdAt as string | number).getTime() || 0;
  rows.sort((a, b) => created(a) - created(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const taken = new Set(rows.flatMap((row) => (row.handle ? [row.handle.toLowerCase()] : [])));
  const handleOf = new Map<string, string>();
  for (const row of rows) {
    if (row.handle) {
      handleOf.set(row.id, row.handle);
      continue;
    }
    const handle = firstFreeHandle(suggestHandle(String(row.name ?? "")), (h) => taken.has(h));
    taken.add(handle);
    handleOf.set(row.id, handle);
    await sql`update "user" set handle = ${handle} where id = ${row.id}`.execute(db);
  }
  return handleOf;
}

/** `@FullNameNoSpaces` of a room's member, in that room's messages, becomes `@handle`. */
async function rewriteMentions(db: Kysely<unknown>, handleOf: Map<string, string>): Promise<void> {
  const names = new Map<string, string>();
  const { rows: users } = await sql<{ id: string; name: string }>`
    select id, name from "user"`.execute(db);
  for (const user of users) names.set(user.id, mentionHandle(String(user.name ?? "")));
  const { rows: memberships } = await sql<{ room_id: string; user_id: string }>`
    select room_id, user_id from room_member`.execute(db);
  // Per room: old mention key (name without spaces, lower case) → handle.
  const keysByRoom = new Map<string, Map<string, string>>();
  for (const { room_id, user_id } of memberships) {
    const key = names.get(user_id);
    const handle = handleOf.get(user_id);
    if (!key || !handle) continue;
    const keys = keysByRoom.get(room_id) ?? new Map<string, string>();
    // Two members whose names share a key: the old rule mentioned both, the
    // new one can name only one, so neither is guessed.
    keys.set(key, keys.has(key) && keys.get(key) !== handle ? "" : handle);
    keysByRoom.set(room_id, keys);
  }
  const { rows: messages } = await sql<{ id: string; room_id: string; text: string }>`
    select id, room_id, text from message where text like '%@%'`.execute(db);
  for (const message of messages) {
    const keys = keysByRoom.get(message.room_id);
    if (!keys) continue;
    const text = rewritten(message.text, keys);
    if (text !== message.text) {
      await sql`update message set text = ${text} where id = ${message.id}`.execute(db);
    }
  }
}

/** The text with each `@name` that a key names replaced by `@handle`. */
export function rewritten(text: string, keys: ReadonlyMap<string, string>): string {
  let out = "";
  let last = 0;
  for (const { start, name } of mentionSpans(text)) {
    const handle = keys.get(name.toLowerCase());
    if (!handle) continue;
    out += `${text.slice(last, start)}@${handle}`;
    last = start + 1 + name.length;
  }
  return out + text.slice(last);
}
