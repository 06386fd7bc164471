import type { Kysely, Selectable } from "kysely";
import { INLINE_IMAGE_TYPES } from "../../core/files/file-names";
import type { FileStore, StoredFile } from "../../ports";
import type { WireFile } from "../../protocol/frames";
import type { Database } from "./schema.server";

type FileRow = Selectable<Database["file"]>;

// PostgreSQL hands bigint columns back as strings; both dialects end up as numbers here.
const num = (value: number | string | null): number | null =>
  value === null ? null : Number(value);

/** A row as the rest of the server sees it. */
export function toStoredFile(row: FileRow): StoredFile {
  return {
    id: row.id,
    uploaderId: row.uploader_id,
    name: row.name,
    size: Number(row.size),
    contentType: row.content_type,
    blobKey: row.blob_key,
    thumbKey: row.thumb_key,
    width: num(row.width),
    height: num(row.height),
    createdAt: Number(row.created_at),
    purpose: row.purpose === "preview" ? "preview" : "attachment",
    roomId: row.room_id,
    messageId: row.message_id,
  };
}

/**
 * The wire shape of a stored file. `image` means it decoded as one of the
 * inline types (it has its size and a thumbnail); a file sniffed as an
 * image that did not decode is an ordinary download.
 */
export function toWireFile(file: StoredFile): WireFile {
  const image =
    INLINE_IMAGE_TYPES.has(file.contentType) && file.width !== null && file.height !== null;
  return {
    id: file.id,
    name: file.name,
    size: file.size,
    type: file.contentType,
    image,
    ...(image && file.width !== null && file.height !== null
      ? { width: file.width, height: file.height }
      : {}),
  };
}

/** File rows over either Kysely dialect. */
export function createFileStore(db: Kysely<Database>, now: () => number): FileStore {
  return {
    async create(file) {
      const row = {
        id: file.id,
        uploader_id: file.uploaderId,
        name: file.name,
        size: file.size,
        content_type: file.contentType,
        blob_key: file.blobKey,
        thumb_key: file.thumbKey,
        width: file.width,
        height: file.height,
        created_at: now(),
        purpose: file.purpose ?? "attachment",
      };
      await db.insertInto("file").values(row).execute();
      return toStoredFile({ ...row, room_id: null, message_id: null, position: 0 });
    },

    async get(id) {
      const row = await db.selectFrom("file").selectAll().where("id", "=", id).executeTakeFirst();
      return row ? toStoredFile(row) : undefined;
    },

    async storedBytes(userId) {
      const row = await db
        .selectFrom("file")
        .select((eb) => eb.fn.sum<number | string | null>("size").as("bytes"))
        .where("uploader_id", "=", userId)
        .executeTakeFirst();
      return Number(row?.bytes ?? 0);
    },

    async visibleTo(id, userId) {
      const row = await db
        .selectFrom("file")
        .selectAll("file")
        .where("file.id", "=", id)
        .where((eb) =>
          eb.or([
            // Unclaimed: only its uploader (the composer shows what it sent up).
            eb.and([eb("file.message_id", "is", null), eb("file.uploader_id", "=", userId)]),
            // Claimed: members of the message's room, while the message stands.
            eb.and([
              eb("file.room_id", "is not", null),
              eb.exists(
                eb
                  .selectFrom("room_member")
                  .select("room_member.user_id")
                  .whereRef("room_member.room_id", "=", "file.room_id")
                  .where("room_member.user_id", "=", userId),
              ),
              eb.exists(
                eb
                  .selectFrom("message")
                  .select("message.id")
                  .whereRef("message.id", "=", "file.message_id")
                  .whereRef("message.room_id", "=", "file.room_id")
                  .where("message.deleted_at", "is", null),
              ),
            ]),
          ]),
        )
        .executeTakeFirst();
      return row ? toStoredFile(row) : undefined;
    },

    async sweepUnclaimed(before, limit) {
      const due = db
        .selectFrom("file")
        .select("id")
        .where("message_id", "is", null)
        .where("created_at", "<", before)
        .orderBy("created_at")
        .limit(limit);
      // The condition is repeated on the delete itself: a claim that
      // committed since the select keeps its row.
      const rows = await db
        .deleteFrom("file")
        .where("id", "in", due)
        .where("message_id", "is", null)
        .where("created_at", "<", before)
        .returningAll()
        .execute();
      return rows.map(toStoredFile);
    },
  };
}
