import { type Kysely, sql } from "kysely";
import type { SavedMessages } from "../../ports";
import type { RoomKind } from "../../protocol/frames";
import { selectMessages, toWireMessages } from "./message-rows.server";
import type { Database } from "./schema.server";

/** Saved messages (migration 0009's saved_message) over any Kysely dialect. */
export function createSavedStore(db: Kysely<Database>, now: () => number): SavedMessages {
  /**
   * The user's saved messages they can still see: in rooms they belong to,
   * not deleted; newest saved first (the message id breaks ties).
   */
  const visible = (userId: string, limit: number) =>
    selectMessages(db)
      .innerJoin("saved_message as s", (join) =>
        join.onRef("s.message_id", "=", "message.id").onRef("s.room_id", "=", "message.room_id"),
      )
      .innerJoin("room_member as rm", (join) =>
        join.onRef("rm.room_id", "=", "s.room_id").onRef("rm.user_id", "=", "s.user_id"),
      )
      .innerJoin("room", "room.id", "s.room_id")
      .where("s.user_id", "=", userId)
      .where("message.deleted_at", "is", null)
      .orderBy("s.created_at", "desc")
      .orderBy("s.message_id", "desc")
      .limit(limit);

  return {
    async save(userId, roomId, messageId, saved) {
      if (!saved) {
        await db
          .deleteFrom("saved_message")
          .where("user_id", "=", userId)
          .where("message_id", "=", messageId)
          .execute();
        return "ok";
      }
      const message = await db
        .selectFrom("message")
        .select("id")
        .where("id", "=", messageId)
        .where("room_id", "=", roomId)
        .where("deleted_at", "is", null)
        .executeTakeFirst();
      if (!message) return "not_found";
      // Strictly after the user's last save, so two saves in one millisecond
      // still list newest first.
      const last = await db
        .selectFrom("saved_message")
        .select((eb) => eb.fn.max("created_at").as("at"))
        .where("user_id", "=", userId)
        .executeTakeFirst();
      const at = Math.max(now(), Number(last?.at ?? 0) + 1);
      await db
        .insertInto("saved_message")
        .values({ user_id: userId, message_id: messageId, room_id: roomId, created_at: at })
        // Saving again keeps the first time: the list's order does not jump.
        .onConflict((oc) => oc.columns(["user_id", "message_id"]).doNothing())
        .execute();
      return "ok";
    },

    async list(userId, limit) {
      const rows = await visible(userId, limit)
        .select([
          "room.slug as r_slug",
          "room.name as r_name",
          "room.kind as r_kind",
          "s.created_at as saved_at",
        ])
        .execute();
      const messages = await toWireMessages(db, rows);
      return rows.map((row, index) => ({
        // biome-ignore lint/style/noNonNullAssertion: toWireMessages keeps length and order
        message: messages[index]!,
        room: { id: row.room_id, slug: row.r_slug, name: row.r_name, kind: row.r_kind as RoomKind },
        savedAt: new Date(Number(row.saved_at)).toISOString(),
      }));
    },

    async ids(userId, limit) {
      // Every connect asks this: the ids alone, not the messages; the same
      // rows as `visible`, hand-written because the query builder cost
      // several times the query on this path.
      const { rows } = await sql<{ id: string }>`select message.id from saved_message s
        join message on message.id = s.message_id and message.room_id = s.room_id
        join room_member rm on rm.room_id = s.room_id and rm.user_id = s.user_id
        where s.user_id = ${userId} and message.deleted_at is null
        order by s.created_at desc, s.message_id desc limit ${limit}`.execute(db);
      return rows.map((row) => row.id);
    },
  };
}
