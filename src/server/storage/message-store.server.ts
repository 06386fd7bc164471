import { type Kysely, PostgresAdapter, type Transaction } from "kysely";
import type {
  AppendInput,
  ChangeCheck,
  ChangeResult,
  MessageStore,
  RemovePreviewResult,
  SendResult,
  SendWithFilesResult,
} from "../../ports";
import type { WireMessage } from "../../protocol/frames";
import { createFilesAppender } from "./append-with-files.server";
import { writeAudit } from "./audit.server";
import { releaseFilesOf, replaceFiles } from "./file-claims.server";
import { selectMessages, toWireMessages } from "./message-rows.server";
import { createPostgresAppender } from "./postgres-append.server";
import type { Database } from "./schema.server";
import { sqliteHandleOf } from "./sqlite.server";
import { createSqliteAppender } from "./sqlite-append.server";

/** Messages with gap-free per-room seq, edits, deletions and reactions, over any dialect. */
export function createMessageStore(db: Kysely<Database>, now: () => number): MessageStore {
  /**
   * Runs a change to one message: checks it exists in the room, asks
   * `check` (the caller's policy) on its facts, bumps the room's revision
   * and stamps it on the message, all in one transaction. `apply` may
   * answer blob keys of files it deleted (forgotten after commit), or a
   * refusal, which rolls the change back.
   */
  async function change(
    roomId: string,
    messageId: string,
    check: ChangeCheck | null,
    apply: (
      trx: Transaction<Database>,
      facts: { authorId: string },
    ) => Promise<Applied | undefined> | Promise<void>,
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
        const decision = check ? check({ authorId: row.author_id }) : { ok: true as const };
        if (!decision.ok) {
          throw new Rollback<ChangeResult>({ ok: false, reason: "refused", refusal: decision });
        }
        const rev = Number(bumped.last_rev);
        const applied = await apply(trx, { authorId: row.author_id });
        if (applied?.refused) throw new Rollback<ChangeResult>(applied.refused);
        const forgotten = applied?.forgotten ?? [];
        await trx.updateTable("message").set({ rev }).where("id", "=", messageId).execute();
        const updated = await selectMessages(trx).where("message.id", "=", messageId).execute();
        const [message] = await toWireMessages(trx, updated);
        if (!message) throw new Error(`message ${messageId} vanished inside its transaction`);
        return forgotten.length > 0
          ? ({ ok: true, message, forgotten } as const)
          : ({ ok: true, message } as const);
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

  // SQLite: hand-written statements with group commit on the one
  // connection; PostgreSQL: one statement per append.
  const handle = sqliteHandleOf(db);
  if (!handle && !(db.getExecutor().adapter instanceof PostgresAdapter)) {
    throw new Error("createMessageStore needs a database from openSqlite or openPostgres");
  }
  const appender = handle ? createSqliteAppender(db, handle, now) : createPostgresAppender(db, now);

  async function appendIfMember(input: AppendInput): Promise<SendResult> {
    const outcome = await appender(input);
    if (outcome.kind === "refused") return { ok: false, reason: outcome.reason };
    if (outcome.kind === "stored") return { ok: true, message: outcome.message, duplicate: false };
    // A retry (or the loser of a race between two): answer the stored original.
    const original = await sentBefore(db, input);
    if (!original) throw new Error(`message ${input.clientId} is a duplicate but is not stored`);
    return { ok: true, message: original, duplicate: true };
  }

  const filesAppender = createFilesAppender(db, now);

  return {
    appendIfMember,

    async appendWithFiles(input, files): Promise<SendWithFilesResult> {
      const outcome = await filesAppender(input, files);
      if (outcome.kind === "refused_file") {
        return { ok: false, reason: "refused", refusal: outcome.refusal };
      }
      if (outcome.kind === "refused") return { ok: false, reason: outcome.reason };
      if (outcome.kind === "stored") {
        return { ok: true, message: outcome.message, duplicate: false };
      }
      // A retry answers the original as stored (its files were claimed then).
      const original = await sentBefore(db, input);
      if (!original) throw new Error(`message ${input.clientId} is a duplicate but is not stored`);
      return { ok: true, message: original, duplicate: true };
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

    edit(roomId, messageId, text, check, files) {
      return change(roomId, messageId, check, async (trx, { authorId }) => {
        await trx
          .updateTable("message")
          .set({ text, edited_at: now() })
          .where("id", "=", messageId)
          .execute();
        if (!files) return undefined;
        // The check allowed only the author, so these are the author's files to claim.
        const replaced = await replaceFiles(trx, { roomId, messageId, authorId }, files);
        return replaced.ok
          ? { forgotten: replaced.forgotten }
          : { refused: { ok: false, reason: "refused", refusal: replaced } };
      });
    },

    remove(roomId, messageId, check, actorId) {
      return change(roomId, messageId, check, async (trx, { authorId }) => {
        const byModerator = actorId !== undefined && actorId !== authorId;
        const at = now();
        await trx
          .updateTable("message")
          .set({ text: "", deleted_at: at, deleted_by: byModerator ? actorId : null })
          .where("id", "=", messageId)
          .execute();
        if (byModerator) {
          await writeAudit(
            trx,
            {
              actorId,
              action: "message.delete",
              targetUserId: authorId,
              roomId,
              details: { messageId },
            },
            at,
          );
        }
        await trx.deleteFrom("reaction").where("message_id", "=", messageId).execute();
        return { forgotten: await releaseFilesOf(trx, messageId) };
      });
    },

    pin(roomId, messageId, pinned, userId, check) {
      return change(roomId, messageId, check, async (trx) => {
        await trx
          .updateTable("message")
          .set(
            pinned ? { pinned_at: now(), pinned_by: userId } : { pinned_at: null, pinned_by: null },
          )
          .where("id", "=", messageId)
          .execute();
      });
    },

    async pinned(roomId, limit) {
      const rows = await selectMessages(db)
        .where("message.room_id", "=", roomId)
        .where("message.pinned_at", "is not", null)
        .where("message.deleted_at", "is", null)
        .orderBy("message.pinned_at", "desc")
        .orderBy("message.seq", "desc")
        .limit(limit)
        .execute();
      return toWireMessages(db, rows);
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

    async attachPreview(roomId, messageId, preview, image) {
      const result = await change(roomId, messageId, null, async (trx) => {
        const row = await trx
          .selectFrom("message")
          .select("preview")
          .where("id", "=", messageId)
          .executeTakeFirst();
        // Already made, or removed by its author: never overwritten.
        if (row?.preview != null)
          throw new Rollback<ChangeResult>({ ok: false, reason: "not_found" });
        if (image) {
          await trx
            .insertInto("file")
            .values({
              id: image.id,
              uploader_id: image.uploaderId,
              name: image.name,
              size: image.size,
              content_type: image.contentType,
              blob_key: image.blobKey,
              // Already at most 400 px: the image is its own thumbnail.
              thumb_key: image.blobKey,
              width: image.width,
              height: image.height,
              created_at: now(),
              purpose: "preview",
              room_id: roomId,
              message_id: messageId,
            })
            .execute();
        }
        await trx
          .updateTable("message")
          .set({ preview: JSON.stringify(preview) })
          .where("id", "=", messageId)
          .execute();
      });
      return result.ok ? result.message : undefined;
    },

    async removePreview(roomId, messageId, check): Promise<RemovePreviewResult> {
      let blobKeys: string[] = [];
      const result = await change(roomId, messageId, check, async (trx) => {
        const images = await trx
          .selectFrom("file")
          .select(["id", "blob_key", "thumb_key"])
          .where("message_id", "=", messageId)
          .where("purpose", "=", "preview")
          .execute();
        blobKeys = [
          ...new Set(images.flatMap((f) => [f.blob_key, f.thumb_key]).filter((k) => k !== null)),
        ];
        if (images.length > 0) {
          await trx
            .deleteFrom("file")
            .where(
              "id",
              "in",
              images.map((f) => f.id),
            )
            .execute();
        }
        await trx
          .updateTable("message")
          .set({ preview: "removed" })
          .where("id", "=", messageId)
          .execute();
      });
      return result.ok ? { ...result, blobKeys } : result;
    },
  };
}

/**
 * What a change's write may answer: blob keys of files it deleted (the
 * caller forgets them after commit), or a refusal that rolls it back.
 */
type Applied = { forgotten?: string[]; refused?: Extract<ChangeResult, { ok: false }> };

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
