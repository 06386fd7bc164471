import { type Kysely, type Migration, sql } from "kysely";

// Issue 12: files and link previews. A file row is written when the upload
// has been stored (POST /api/files), unclaimed (no message); the send or edit
// that attaches it claims it in the message's own transaction, which sets
// its room and message, so a file belongs to one message only. Serving asks
// the file's room, never the uploader's word. A message's link preview is
// room state on the message's row (JSON), so it travels with the message's
// `rev` like an edit; its image is a file row of purpose "preview".
export function files(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("file")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("uploader_id", "text", (c) => c.notNull())
        // The name shown and served (sanitised at upload), not a path.
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("size", "bigint", (c) => c.notNull())
        // Sniffed from the bytes at upload.
        .addColumn("content_type", "text", (c) => c.notNull())
        .addColumn("blob_key", "text", (c) => c.notNull())
        // Images only: the thumbnail's blob (at most 400 px).
        .addColumn("thumb_key", "text")
        .addColumn("width", "integer")
        .addColumn("height", "integer")
        .addColumn("created_at", "bigint", (c) => c.notNull())
        // "attachment" (an upload) or "preview" (a link preview's image).
        .addColumn("purpose", "text", (c) => c.notNull().defaultTo("attachment"))
        // Set together when a message claims it; null while unclaimed.
        .addColumn("room_id", "text")
        .addColumn("message_id", "text")
        // Its place among the message's files.
        .addColumn("position", "integer", (c) => c.notNull().defaultTo(0))
        .execute();
      // A message's files, in order (history, deletion).
      await db.schema
        .createIndex("file_by_message")
        .on("file")
        .columns(["message_id", "position"])
        .execute();
      // The quota (a sum per uploader) and the sweep of unclaimed uploads.
      await db.schema
        .createIndex("file_by_uploader")
        .on("file")
        .columns(["uploader_id", "created_at"])
        .execute();
      await db.schema
        .createIndex("file_unclaimed")
        .on("file")
        .column("created_at")
        .where(sql.ref("message_id"), "is", null)
        .execute();
      // The link preview as JSON (LinkPreview), or "removed" once its author removed it.
      await db.schema.alterTable("message").addColumn("preview", "text").execute();
    },
  };
}
