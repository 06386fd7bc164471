import { randomUUID } from "node:crypto";
import type { Kysely, Selectable } from "kysely";
import type { MessageStore, Room, RoomStore } from "../../ports";
import { RoomTakenError } from "../../ports";
import type { WireMessage } from "../../protocol/frames";
import type { Database } from "./schema.server";

type MessageRow = Selectable<Database["message"]> & { author_name: string | null };

/** Room and message stores over any Kysely dialect (SQLite now, PostgreSQL next). */
export function createKyselyStores(
  db: Kysely<Database>,
  now: () => number = Date.now,
): { rooms: RoomStore; messages: MessageStore } {
  const roomColumns = ["room.id", "room.slug", "room.name"] as const;

  const rooms: RoomStore = {
    async createRoom({ name, slug, createdBy }) {
      const room: Room = { id: randomUUID(), slug, name };
      const inserted = await db
        .insertInto("room")
        .values({ ...room, created_by: createdBy, created_at: now() })
        .onConflict((oc) => oc.column("slug").doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) {
        throw new RoomTakenError(`a room named "${slug}" already exists`);
      }
      return room;
    },
    async ensureRoom({ name, slug }) {
      await db
        .insertInto("room")
        .values({ id: randomUUID(), slug, name, created_by: null, created_at: now() })
        .onConflict((oc) => oc.column("slug").doNothing())
        .execute();
      const room = await rooms.getRoomBySlug(slug);
      if (!room) throw new Error(`room ${slug} vanished right after it was ensured`);
      return room;
    },
    async getRoomBySlug(slug) {
      return db.selectFrom("room").select(roomColumns).where("slug", "=", slug).executeTakeFirst();
    },
    async getRoom(id) {
      return db.selectFrom("room").select(roomColumns).where("id", "=", id).executeTakeFirst();
    },
    async listRooms() {
      return db.selectFrom("room").select(roomColumns).orderBy("slug").execute();
    },
    async join(roomId, userId) {
      await db
        .insertInto("room_member")
        .values({ room_id: roomId, user_id: userId, joined_at: now() })
        .onConflict((oc) => oc.columns(["room_id", "user_id"]).doNothing())
        .execute();
    },
    async isMember(roomId, userId) {
      const row = await db
        .selectFrom("room_member")
        .select("room_id")
        .where("room_id", "=", roomId)
        .where("user_id", "=", userId)
        .executeTakeFirst();
      return row !== undefined;
    },
    async roomsOf(userId) {
      return db
        .selectFrom("room")
        .innerJoin("room_member", "room_member.room_id", "room.id")
        .select(roomColumns)
        .where("room_member.user_id", "=", userId)
        .orderBy("room.slug")
        .execute();
    },
  };

  const selectMessages = () =>
    db
      .selectFrom("message")
      .leftJoin("user", "user.id", "message.author_id")
      .selectAll("message")
      .select("user.name as author_name");

  const messages: MessageStore = {
    async append({ roomId, author, clientId, text }) {
      return db.transaction().execute(async (trx) => {
        const existing = await trx
          .selectFrom("message")
          .selectAll()
          .where("room_id", "=", roomId)
          .where("client_id", "=", clientId)
          .executeTakeFirst();
        if (existing) {
          return { message: toWire({ ...existing, author_name: author.name }), duplicate: true };
        }
        // Bumping the counter row serialises writers per room, so seq has no gaps.
        const bumped = await trx
          .updateTable("room")
          .set((eb) => ({ last_seq: eb("last_seq", "+", 1) }))
          .where("id", "=", roomId)
          .returning("last_seq")
          .executeTakeFirst();
        if (!bumped) throw new Error(`room ${roomId} does not exist`);
        const row = {
          id: randomUUID(),
          room_id: roomId,
          seq: Number(bumped.last_seq),
          author_id: author.id,
          client_id: clientId,
          text,
          created_at: now(),
        };
        await trx.insertInto("message").values(row).execute();
        return { message: toWire({ ...row, author_name: author.name }), duplicate: false };
      });
    },
    async history(roomId, { beforeSeq, limit }) {
      let query = selectMessages().where("message.room_id", "=", roomId);
      if (beforeSeq !== undefined) query = query.where("message.seq", "<", beforeSeq);
      const rows = await query.orderBy("message.seq", "desc").limit(limit).execute();
      return rows.reverse().map(toWire);
    },
    async after(roomId, afterSeq, limit) {
      const rows = await selectMessages()
        .where("message.room_id", "=", roomId)
        .where("message.seq", ">", afterSeq)
        .orderBy("message.seq", "asc")
        .limit(limit)
        .execute();
      return rows.map(toWire);
    },
  };

  return { rooms, messages };
}

function toWire(row: MessageRow): WireMessage {
  return {
    id: row.id,
    roomId: row.room_id,
    seq: Number(row.seq),
    author: { id: row.author_id, name: row.author_name ?? "unknown" },
    text: row.text,
    createdAt: new Date(Number(row.created_at)).toISOString(),
  };
}
