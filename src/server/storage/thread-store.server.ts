import { randomUUID } from "node:crypto";
import { type Kysely, sql, type Transaction } from "kysely";
import type { ReplyResult, ThreadStore } from "../../ports";
import type { ThreadState, WireMessage } from "../../protocol/frames";
import { mentionedIds, recordMentionsAndRead, senderFacts } from "./append-shared.server";
import { claimFiles } from "./file-claims.server";
import { participantsOf, selectMessages, toWireMessages } from "./message-rows.server";
import { postFacts } from "./post-gate.server";
import type { Database } from "./schema.server";

/** Repliers a root keeps in its summary. */
const PARTICIPANTS = 3;
/** Text (code units) one thread page carries at most, as a history frame. */
const PAGE_TEXT = 128 * 1024;

/** Thrown inside the reply's transaction to roll it back and still answer. */
class Abort extends Error {
  constructor(readonly result: ReplyResult | "duplicate") {
    super("rolled back");
  }
}

type StateRow = {
  room_id: string;
  root_id: string;
  following: number | null;
  last_read_seq: number | string | null;
  unread: number | string;
  latest_seq: number | string | null;
};

const toState = (row: StateRow): ThreadState => ({
  roomId: row.room_id,
  rootId: row.root_id,
  following: Number(row.following ?? 0) === 1,
  lastReadSeq: Number(row.last_read_seq ?? 0),
  unread: Number(row.unread),
  latestSeq: Number(row.latest_seq ?? 0),
});

// One statement per state, so the marker, the count and the newest reply
// come from one snapshot (PostgreSQL reads each statement consistently).
const stateColumns = sql`root.room_id as room_id, root.id as root_id,
  f.following as following, f.last_read_seq as last_read_seq,
  (select count(*) from message m where m.thread_root_id = root.id
    and m.seq > coalesce(f.last_read_seq, 0)) as unread,
  (select max(m.seq) from message m where m.thread_root_id = root.id) as latest_seq`;

/** Replies, follows and thread read markers over any dialect (Kysely transactions). */
export function createThreadStore(db: Kysely<Database>, now: () => number): ThreadStore {
  async function stateOf(
    executor: Kysely<Database>,
    roomId: string,
    rootId: string,
    userId: string,
  ): Promise<ThreadState> {
    const { rows } = await sql<StateRow>`select ${stateColumns}
      from message root
      left join thread_follow f on f.root_id = root.id and f.user_id = ${userId}
      where root.id = ${rootId} and root.room_id = ${roomId}`.execute(executor);
    const [row] = rows;
    if (row) return toState(row);
    return { roomId, rootId, following: false, lastReadSeq: 0, unread: 0, latestSeq: 0 };
  }

  async function messagesById(executor: Kysely<Database>, ids: string[]): Promise<WireMessage[]> {
    if (ids.length === 0) return [];
    const rows = await selectMessages(executor).where("message.id", "in", ids).execute();
    return toWireMessages(executor, rows);
  }

  /** Starts following for people the thread concerns, unless they have a row (kept after unfollowing). */
  async function autoFollow(
    trx: Transaction<Database>,
    roomId: string,
    rootId: string,
    userIds: string[],
    fromSeq: number,
  ) {
    for (const userId of new Set(userIds)) {
      await trx
        .insertInto("thread_follow")
        .values({
          room_id: roomId,
          root_id: rootId,
          user_id: userId,
          following: 1,
          // Only this reply is new to them.
          last_read_seq: fromSeq - 1,
          updated_at: now(),
        })
        .onConflict((oc) => oc.columns(["root_id", "user_id"]).doNothing())
        .execute();
    }
  }

  const store: ThreadStore = {
    async reply(input, check) {
      const { roomId, author, clientId, text, threadRootId, alsoInRoom } = input;
      try {
        return await db.transaction().execute(async (trx) => {
          // The room row first: its lock serialises seq and rev per room
          // (PostgreSQL); a refusal rolls the bump back.
          const bumped = await trx
            .updateTable("room")
            .set((eb) => ({ last_seq: eb("last_seq", "+", 1), last_rev: eb("last_rev", "+", 1) }))
            .where("id", "=", roomId)
            .returning(["last_seq", "last_rev"])
            .executeTakeFirst();
          if (!bumped) throw new Abort({ ok: false, reason: "no_room" });
          const { member, sent, muted } = await senderFacts(trx, input);
          const root = await trx
            .selectFrom("message")
            .select(["author_id", "deleted_at", "thread_root_id", "reply_participants"])
            .where("id", "=", threadRootId)
            .where("room_id", "=", roomId)
            .executeTakeFirst();
          // A member's retry is answered as sent, even if the root changed since.
          if (sent && member) throw new Abort("duplicate");
          const facts = root && {
            authorId: root.author_id,
            deleted: root.deleted_at !== null,
            isReply: root.thread_root_id !== null,
          };
          // The room half of the post gate (issue 14), read in this transaction too.
          const post = await postFacts(trx, roomId, author.id);
          const decision = check({ member, modMuted: muted, root: facts, post });
          if (!decision.ok) throw new Abort({ ok: false, reason: "refused", refusal: decision });
          if (!root) throw new Error("mayReplyInThread allowed a reply to no message");
          const seq = Number(bumped.last_seq);
          const rev = Number(bumped.last_rev);
          const createdAt = now();
          const id = randomUUID();
          await trx
            .insertInto("message")
            .values({
              id,
              room_id: roomId,
              seq,
              author_id: author.id,
              client_id: clientId,
              text,
              created_at: createdAt,
              edited_at: null,
              deleted_at: null,
              rev: 0,
              thread_root_id: threadRootId,
              also_in_room: alsoInRoom ? 1 : 0,
              last_reply_at: null,
              reply_participants: null,
            })
            .execute();
          // Its files are claimed as a send's are; one that does not claim refuses the reply.
          if (input.files) {
            const claimed = await claimFiles(
              trx,
              { roomId, messageId: id, authorId: author.id },
              input.files,
            );
            if (!claimed.ok) throw new Abort({ ok: false, reason: "refused", refusal: claimed });
          }
          const mentioned = mentionedIds(input);
          // A reply kept in its thread is not a room mention: it is counted
          // in the thread (the mentioned follow it).
          if (alsoInRoom) await recordMentionsAndRead(trx, input, seq);
          const participants = [
            author.id,
            ...participantsOf(root.reply_participants).filter((p) => p !== author.id),
          ].slice(0, PARTICIPANTS);
          await trx
            .updateTable("message")
            .set((eb) => ({
              reply_count: eb("reply_count", "+", 1),
              last_reply_at: createdAt,
              reply_participants: JSON.stringify(participants),
              rev,
            }))
            .where("id", "=", threadRootId)
            .execute();
          // The replier follows and has read the thread up to their reply.
          await trx
            .insertInto("thread_follow")
            .values({
              room_id: roomId,
              root_id: threadRootId,
              user_id: author.id,
              following: 1,
              last_read_seq: seq,
              updated_at: createdAt,
            })
            .onConflict((oc) =>
              oc
                .columns(["root_id", "user_id"])
                .doUpdateSet({ following: 1, last_read_seq: seq, updated_at: createdAt }),
            )
            .execute();
          await autoFollow(trx, roomId, threadRootId, [root.author_id, ...mentioned], seq);
          const [message] = await messagesById(trx, [id]);
          const [updatedRoot] = await messagesById(trx, [threadRootId]);
          if (!message || !updatedRoot)
            throw new Error(`reply ${id} vanished inside its transaction`);
          return { ok: true, message, root: updatedRoot, duplicate: false } as const;
        });
      } catch (error) {
        if (!(error instanceof Abort)) throw error;
        if (error.result !== "duplicate") return error.result;
      }
      // A retry: answer the stored original and its root as they are now.
      const original = await selectMessages(db)
        .where("message.room_id", "=", roomId)
        .where("message.author_id", "=", author.id)
        .where("message.client_id", "=", clientId)
        .execute();
      const [message] = await toWireMessages(db, original);
      const [root] = await messagesById(db, [message?.threadRootId ?? threadRootId]);
      if (!message || !root) throw new Error(`reply ${clientId} is a duplicate but is not stored`);
      return { ok: true, message, root, duplicate: true };
    },

    async rootFacts(roomId, rootId) {
      const row = await db
        .selectFrom("message")
        .select(["author_id", "deleted_at", "thread_root_id"])
        .where("id", "=", rootId)
        .where("room_id", "=", roomId)
        .executeTakeFirst();
      if (!row) return undefined;
      return {
        authorId: row.author_id,
        deleted: row.deleted_at !== null,
        isReply: row.thread_root_id !== null,
      };
    },

    async page(roomId, rootId, afterSeq, limit) {
      const [root] = await messagesById(db, [rootId]);
      if (!root || root.roomId !== roomId) return undefined;
      const rows = await selectMessages(db)
        .where("message.thread_root_id", "=", rootId)
        .where("message.seq", ">", afterSeq)
        .orderBy("message.seq", "asc")
        .limit(limit + 1)
        .execute();
      let kept = 0;
      let text = 0;
      for (const row of rows.slice(0, limit)) {
        if (kept > 0 && text + row.text.length > PAGE_TEXT) break;
        text += row.text.length;
        kept++;
      }
      const replies = await toWireMessages(db, rows.slice(0, kept));
      return { root, replies, more: rows.length > kept };
    },

    state: (roomId, rootId, userId) => stateOf(db, roomId, rootId, userId),

    async follow(roomId, rootId, userId, following) {
      const { latestSeq } = await stateOf(db, roomId, rootId, userId);
      await db
        .insertInto("thread_follow")
        .values({
          room_id: roomId,
          root_id: rootId,
          user_id: userId,
          following: following ? 1 : 0,
          // Following by hand happens with the thread open: read so far.
          last_read_seq: latestSeq,
          updated_at: now(),
        })
        .onConflict((oc) =>
          oc
            .columns(["root_id", "user_id"])
            .doUpdateSet({ following: following ? 1 : 0, updated_at: now() }),
        )
        .execute();
      return stateOf(db, roomId, rootId, userId);
    },

    async markRead(roomId, rootId, userId, seq) {
      // Clamped to the newest reply: a marker past it would hide the next ones.
      const { latestSeq } = await stateOf(db, roomId, rootId, userId);
      const target = Math.min(seq, latestSeq);
      // Only a follower's marker is kept: nobody else is shown thread unread.
      await db
        .updateTable("thread_follow")
        .set({ last_read_seq: target, updated_at: now() })
        .where("root_id", "=", rootId)
        .where("user_id", "=", userId)
        .where("last_read_seq", "<", target)
        .execute();
      return stateOf(db, roomId, rootId, userId);
    },

    async followedStates(userId, limit) {
      const { rows } = await sql<StateRow>`select ${stateColumns}
        from thread_follow f
        join message root on root.id = f.root_id
        join room_member rm on rm.room_id = root.room_id and rm.user_id = f.user_id
        where f.user_id = ${userId} and f.following = 1
        order by coalesce(root.last_reply_at, 0) desc, root.id
        limit ${limit}`.execute(db);
      return rows.map(toState);
    },

    async followed(userId, limit) {
      const states = await store.followedStates(userId, limit);
      const roots = await messagesById(
        db,
        states.map((s) => s.rootId),
      );
      const roomIds = [...new Set(states.map((s) => s.roomId))];
      const rooms =
        roomIds.length === 0
          ? []
          : await db
              .selectFrom("room")
              .select(["id", "slug", "name", "kind"])
              .where("id", "in", roomIds)
              .execute();
      const rootById = new Map(roots.map((r) => [r.id, r]));
      const roomById = new Map(rooms.map((r) => [r.id, r]));
      return states.flatMap((state) => {
        const root = rootById.get(state.rootId);
        const room = roomById.get(state.roomId);
        if (!root || !room) return [];
        const kind = room.kind as "public" | "private" | "dm";
        return [{ state, root, room: { id: room.id, slug: room.slug, name: room.name, kind } }];
      });
    },
  };
  return store;
}
