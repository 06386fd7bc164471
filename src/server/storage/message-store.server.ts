import { randomUUID } from "node:crypto";
import type { Kysely, Transaction } from "kysely";
import type { ChangeResult, MessageStore } from "../../ports";
import { selectMessages, toWire, toWireMessages } from "./message-rows.server";
import type { Database } from "./schema.server";

/** Messages with gap-free per-room seq, edits, deletions and reactions, over any dialect. */
export function createMessageStore(db: Kysely<Database>, now: () => number): MessageStore {
  /**
   * Runs a change to one message: checks it exists in the room (and belongs
   * to `ownerId` when given), bumps the room's revision and stamps it on the
   * message, all in one transaction.
   */
  async function change(
    roomId: string,
    messageId: string,
    ownerId: string | null,
    apply: (trx: Transaction<Database>, rev: number) => Promise<void>,
  ): Promise<ChangeResult> {
    return db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom("message")
        .select(["author_id", "deleted_at"])
        .where("id", "=", messageId)
        .where("room_id", "=", roomId)
        .executeTakeFirst();
      if (!row || row.deleted_at !== null) return { ok: false, reason: "not_found" } as const;
      if (ownerId !== null && row.author_id !== ownerId) {
        return { ok: false, reason: "forbidden" } as const;
      }
      const bumped = await trx
        .updateTable("room")
        .set((eb) => ({ last_rev: eb("last_rev", "+", 1) }))
        .where("id", "=", roomId)
        .returning("last_rev")
        .executeTakeFirstOrThrow();
      const rev = Number(bumped.last_rev);
      await apply(trx, rev);
      await trx.updateTable("message").set({ rev }).where("id", "=", messageId).execute();
      const updated = await selectMessages(trx).where("message.id", "=", messageId).execute();
      const [message] = await toWireMessages(trx, updated);
      if (!message) throw new Error(`message ${messageId} vanished inside its transaction`);
      return { ok: true, message };
    });
  }

  return {
    async append({ roomId, author, clientId, text, mentions = [] }) {
      return db.transaction().execute(async (trx) => {
        const existing = await selectMessages(trx)
          .where("message.room_id", "=", roomId)
          .where("message.author_id", "=", author.id)
          .where("message.client_id", "=", clientId)
          .execute();
        if (existing.length > 0) {
          const [message] = await toWireMessages(trx, existing);
          if (message) return { message, duplicate: true };
        }
        // Bumping the counter row serialises writers per room, so seq has no gaps.
        const bumped = await trx
          .updateTable("room")
          .set((eb) => ({ last_seq: eb("last_seq", "+", 1) }))
          .where("id", "=", roomId)
          .returning("last_seq")
          .executeTakeFirst();
        if (!bumped) throw new Error(`room ${roomId} does not exist`);
        const seq = Number(bumped.last_seq);
        const row = {
          id: randomUUID(),
          room_id: roomId,
          seq,
          author_id: author.id,
          client_id: clientId,
          text,
          created_at: now(),
          edited_at: null,
          deleted_at: null,
          rev: 0,
        };
        await trx.insertInto("message").values(row).execute();
        const mentioned = [...new Set(mentions)].filter((id) => id !== author.id);
        if (mentioned.length > 0) {
          await trx
            .insertInto("message_mention")
            .values(mentioned.map((user_id) => ({ room_id: roomId, seq, user_id })))
            .execute();
        }
        // Writing in a room means having read it up to here.
        await trx
          .updateTable("room_member")
          .set({ last_read_seq: seq })
          .where("room_id", "=", roomId)
          .where("user_id", "=", author.id)
          .where("last_read_seq", "<", seq)
          .execute();
        return { message: toWire({ ...row, author_name: author.name }), duplicate: false };
      });
    },

    async history(roomId, { beforeSeq, limit }) {
      let query = selectMessages(db).where("message.room_id", "=", roomId);
      if (beforeSeq !== undefined) query = query.where("message.seq", "<", beforeSeq);
      const rows = await query.orderBy("message.seq", "desc").limit(limit).execute();
      return toWireMessages(db, rows.reverse());
    },

    async after(roomId, afterSeq, limit, beforeSeq) {
      let query = selectMessages(db)
        .where("message.room_id", "=", roomId)
        .where("message.seq", ">", afterSeq);
      if (beforeSeq !== undefined) query = query.where("message.seq", "<", beforeSeq);
      const rows = await query.orderBy("message.seq", "asc").limit(limit).execute();
      return toWireMessages(db, rows);
    },

    async changedSince(roomId, afterRev, limit) {
      const rows = await selectMessages(db)
        .where("message.room_id", "=", roomId)
        .where("message.rev", ">", afterRev)
        .orderBy("message.rev", "asc")
        .limit(limit)
        .execute();
      return toWireMessages(db, rows);
    },

    async position(roomId) {
      const row = await db
        .selectFrom("room")
        .select(["last_seq", "last_rev"])
        .where("id", "=", roomId)
        .executeTakeFirst();
      return { lastSeq: Number(row?.last_seq ?? 0), lastRev: Number(row?.last_rev ?? 0) };
    },

    edit(roomId, messageId, userId, text) {
      return change(roomId, messageId, userId, async (trx) => {
        await trx
          .updateTable("message")
          .set({ text, edited_at: now() })
          .where("id", "=", messageId)
          .execute();
      });
    },

    remove(roomId, messageId, userId) {
      return change(roomId, messageId, userId, async (trx) => {
        await trx
          .updateTable("message")
          .set({ text: "", deleted_at: now() })
          .where("id", "=", messageId)
          .execute();
        await trx.deleteFrom("reaction").where("message_id", "=", messageId).execute();
      });
    },

    toggleReaction(roomId, messageId, userId, emoji) {
      return change(roomId, messageId, null, async (trx) => {
        const removed = await trx
          .deleteFrom("reaction")
          .where("message_id", "=", messageId)
          .where("user_id", "=", userId)
          .where("emoji", "=", emoji)
          .executeTakeFirst();
        if (Number(removed.numDeletedRows) === 0) {
          await trx
            .insertInto("reaction")
            .values({ message_id: messageId, user_id: userId, emoji, created_at: now() })
            .execute();
        }
      });
    },
  };
}
