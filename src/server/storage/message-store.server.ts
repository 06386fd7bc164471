import { randomUUID } from "node:crypto";
import type { Kysely, Transaction } from "kysely";
import type { AppendInput, ChangeResult, MessageStore } from "../../ports";
import type { WireMessage } from "../../protocol/frames";
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
    return rollingBack(() =>
      db.transaction().execute(async (trx) => {
        // The room row first: its lock serialises changes per room, so on
        // PostgreSQL a concurrent delete cannot slip in between the check
        // below and the write (SQLite runs one writer anyway).
        const bumped = await trx
          .updateTable("room")
          .set((eb) => ({ last_rev: eb("last_rev", "+", 1) }))
          .where("id", "=", roomId)
          .returning("last_rev")
          .executeTakeFirst();
        const row = await trx
          .selectFrom("message")
          .select(["author_id", "deleted_at"])
          .where("id", "=", messageId)
          .where("room_id", "=", roomId)
          .executeTakeFirst();
        // Refusals roll back, so a refused change never moves the revision.
        if (!bumped || !row || row.deleted_at !== null) {
          throw new Rollback<ChangeResult>({ ok: false, reason: "not_found" });
        }
        if (ownerId !== null && row.author_id !== ownerId) {
          throw new Rollback<ChangeResult>({ ok: false, reason: "forbidden" });
        }
        const rev = Number(bumped.last_rev);
        await apply(trx, rev);
        await trx.updateTable("message").set({ rev }).where("id", "=", messageId).execute();
        const updated = await selectMessages(trx).where("message.id", "=", messageId).execute();
        const [message] = await toWireMessages(trx, updated);
        if (!message) throw new Error(`message ${messageId} vanished inside its transaction`);
        return { ok: true, message } as const;
      }),
    );
  }

  /** The message this author already sent with this clientId in the room, if any. */
  async function sentBefore(
    executor: Kysely<Database>,
    { roomId, author, clientId }: AppendInput,
  ): Promise<WireMessage | undefined> {
    const existing = await selectMessages(executor)
      .where("message.room_id", "=", roomId)
      .where("message.author_id", "=", author.id)
      .where("message.client_id", "=", clientId)
      .execute();
    return (await toWireMessages(executor, existing))[0];
  }

  return {
    async append(input) {
      const { roomId, author, clientId, text, mentions = [] } = input;
      const stored = await rollingBack<AppendResult, null>(() =>
        db.transaction().execute(async (trx) => {
          const before = await sentBefore(trx, input);
          if (before) return { message: before, duplicate: true };
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
          // A retry of the same clientId racing this one (another socket, another
          // instance) passed the check above too; the loser rolls back its seq.
          const inserted = await trx
            .insertInto("message")
            .values(row)
            .onConflict((oc) => oc.columns(["room_id", "author_id", "client_id"]).doNothing())
            .executeTakeFirst();
          if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) throw new Rollback(null);
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
        }),
      );
      if (stored) return stored;
      const winner = await sentBefore(db, input);
      if (!winner) throw new Error(`message ${clientId} lost a race but is not stored`);
      return { message: winner, duplicate: true };
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

type AppendResult = Awaited<ReturnType<MessageStore["append"]>>;

/** Thrown inside a transaction to roll it back and still answer `result`. */
class Rollback<T> extends Error {
  constructor(readonly result: T) {
    super("rolled back");
  }
}

/** Runs a transaction, turning a Rollback thrown inside into its result. */
async function rollingBack<T, R = T>(run: () => Promise<T>): Promise<T | R> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof Rollback) return error.result as R;
    throw error;
  }
}
