import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { Refusal } from "../../core/policy";
import type { AppendInput, AttachInput } from "../../ports";
import {
  type AppendOutcome,
  explainNoBump,
  recordMentionsAndRead,
  senderFacts,
  viaJson,
} from "./append-shared.server";
import { claimFiles } from "./file-claims.server";
import { selectMessages, toWireMessages } from "./message-rows.server";
import { postFacts, roomTakesPostsSql } from "./post-gate.server";
import { isClientIdTaken } from "./postgres-append.server";
import type { Database } from "./schema.server";

/** What a send with files did: as the hot path's append, or a file it could not claim. */
export type FilesAppendOutcome = AppendOutcome | { kind: "refused_file"; refusal: Refusal };

/** Thrown inside the transaction to roll it back and still answer. */
class Abort extends Error {
  constructor(readonly outcome: FilesAppendOutcome) {
    super("rolled back");
  }
}

/**
 * A send that carries files, as one Kysely transaction on either dialect
 * (the hot path, sqlite-append and postgres-append, stays file-less and
 * untouched). The seq bump is gated as there: the room exists, the author
 * is a member and has not used this client id in it; when it matches
 * nothing the same three facts say why, and nothing was written. Then the
 * message, its mentions, the author's read marker and the claim of every
 * file; a file that does not claim rolls it all back, seq bump included.
 * The answer is read inside the transaction, files and all (the ack shows
 * them).
 */
export function createFilesAppender(db: Kysely<Database>, now: () => number) {
  return async function appendWithFiles(
    input: AppendInput,
    files: AttachInput,
  ): Promise<FilesAppendOutcome> {
    const { roomId, author, clientId, text } = input;
    try {
      return await db.transaction().execute(async (trx) => {
        const bumped = await trx
          .updateTable("room")
          .set((eb) => ({ last_seq: eb("last_seq", "+", 1) }))
          .where("room.id", "=", roomId)
          .where(({ exists, selectFrom }) =>
            exists(
              selectFrom("room_member")
                .select("room_member.user_id")
                .where("room_member.room_id", "=", roomId)
                .where("room_member.user_id", "=", author.id)
                .where("room_member.mod_muted", "=", 0),
            ),
          )
          .where(({ not, exists, selectFrom }) =>
            not(
              exists(
                selectFrom("message")
                  .select("message.id")
                  .where("message.room_id", "=", roomId)
                  .where("message.author_id", "=", author.id)
                  .where("message.client_id", "=", clientId),
              ),
            ),
          )
          .where(roomTakesPostsSql(roomId, author.id))
          .returning("last_seq")
          .executeTakeFirst();
        if (!bumped) return explainNoBump(await factsOf(trx, input), input);
        const seq = Number(bumped.last_seq);
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
            created_at: now(),
            edited_at: null,
            deleted_at: null,
            rev: 0,
            via: viaJson(input),
          })
          .execute();
        await recordMentionsAndRead(trx, input, seq);
        const claimed = await claimFiles(
          trx,
          { roomId, messageId: id, authorId: author.id },
          files,
        );
        if (!claimed.ok) throw new Abort({ kind: "refused_file", refusal: claimed });
        const rows = await selectMessages(trx).where("message.id", "=", id).execute();
        const [message] = await toWireMessages(trx, rows);
        if (!message) throw new Error(`message ${id} vanished inside its transaction`);
        return { kind: "stored", message } as const;
      });
    } catch (error) {
      if (error instanceof Abort) return error.outcome;
      // PostgreSQL: two sends of one client id raced past the gate; the other won.
      if (isClientIdTaken(error)) return { kind: "duplicate" };
      throw error;
    }
  };
}

/** Why the gated bump matched nothing, read in the same transaction. */
async function factsOf(trx: Kysely<Database>, input: AppendInput) {
  const room = await trx
    .selectFrom("room")
    .select("id")
    .where("id", "=", input.roomId)
    .executeTakeFirst();
  return {
    room: room !== undefined,
    ...(await senderFacts(trx, input)),
    post: await postFacts(trx, input.roomId, input.author.id),
  };
}
