import type { Transaction } from "kysely";
import { ALLOW, type Decision } from "../../core/policy";
import type { AttachInput } from "../../ports";
import type { Database } from "./schema.server";

/** Where the files claimed go: the message (and its room) that carries them, and its author. */
export type ClaimTarget = { roomId: string; messageId: string; authorId: string };

/**
 * Claims `files.fileIds` for the message, in order (position = index),
 * inside the caller's transaction. The update is the gate, one file at a
 * time: it only touches the author's own upload (purpose "attachment")
 * that no message holds yet, or that this message already holds (an edit
 * keeping a file, whose position may change). On PostgreSQL the row lock
 * makes a second transaction claiming the same file wait and then match
 * nothing; SQLite has one writer. When a file does not claim, its facts
 * are read and `files.check` (core/policy mayAttach) words the refusal;
 * the caller must then roll its transaction back, so nothing is stored.
 */
export async function claimFiles(
  trx: Transaction<Database>,
  target: ClaimTarget,
  files: AttachInput,
): Promise<Decision> {
  const { roomId, messageId, authorId } = target;
  for (const [position, fileId] of files.fileIds.entries()) {
    const claimed = await trx
      .updateTable("file")
      .set({ room_id: roomId, message_id: messageId, position })
      .where("id", "=", fileId)
      .where("uploader_id", "=", authorId)
      .where("purpose", "=", "attachment")
      .where((eb) => eb.or([eb("message_id", "is", null), eb("message_id", "=", messageId)]))
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) === 1) continue;
    const row = await trx
      .selectFrom("file")
      .select(["uploader_id", "message_id", "purpose"])
      .where("id", "=", fileId)
      .executeTakeFirst();
    const facts = row && {
      uploaderId: row.uploader_id,
      attached: row.message_id !== null && row.message_id !== messageId,
      purpose: row.purpose,
    };
    const decision = files.check(facts);
    if (decision.ok) throw new Error(`mayAttach allowed file ${fileId}, which its claim refused`);
    return decision;
  }
  return ALLOW;
}

/**
 * An edit's file list: the message's attachments become exactly `files`
 * (claimed in order as claimFiles does); those it had and the list drops
 * are deleted here, and their blob keys answered for deletion after commit.
 * A refusal leaves the caller to roll back.
 */
export async function replaceFiles(
  trx: Transaction<Database>,
  target: ClaimTarget,
  files: AttachInput,
): Promise<{ ok: true; forgotten: string[] } | Extract<Decision, { ok: false }>> {
  const claimed = await claimFiles(trx, target, files);
  if (!claimed.ok) return claimed;
  let dropped = trx
    .selectFrom("file")
    .select(["id", "blob_key", "thumb_key"])
    .where("message_id", "=", target.messageId)
    .where("purpose", "=", "attachment");
  if (files.fileIds.length > 0) dropped = dropped.where("id", "not in", [...files.fileIds]);
  const rows = await dropped.execute();
  if (rows.length > 0) {
    await trx
      .deleteFrom("file")
      .where(
        "id",
        "in",
        rows.map((row) => row.id),
      )
      .execute();
  }
  return { ok: true, forgotten: blobKeysOf(rows) };
}

/**
 * Deletes every file of a message (its attachments and its link preview's
 * image) inside the delete's transaction; answers their blob keys, which
 * the caller deletes from the BlobStore after commit.
 */
export async function releaseFilesOf(
  trx: Transaction<Database>,
  messageId: string,
): Promise<string[]> {
  const rows = await trx
    .deleteFrom("file")
    .where("message_id", "=", messageId)
    .returning(["blob_key", "thumb_key"])
    .execute();
  return blobKeysOf(rows);
}

/** The blobs behind file rows: each original, and each thumbnail there is. */
function blobKeysOf(rows: { blob_key: string; thumb_key: string | null }[]): string[] {
  return rows.flatMap((row) => (row.thumb_key ? [row.blob_key, row.thumb_key] : [row.blob_key]));
}
