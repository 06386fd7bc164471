import type { Kysely } from "kysely";
import type { WireFile } from "../../protocol/frames";
import type { Database } from "./schema.server";

/** Types shown inline, with a thumbnail; everything else is a download (issue 12). */
export const INLINE_IMAGE_TYPES: ReadonlySet<string> = new Set([
  "image/png",
  "image/jpeg",
  "image/gif",
  "image/webp",
]);

type FileRow = Pick<
  Database["file"],
  "id" | "name" | "size" | "content_type" | "width" | "height"
> & { message_id: string | null };

/** One file row on the wire: width and height only for an image that has them. */
export function toWireFile(row: FileRow): WireFile {
  const image = INLINE_IMAGE_TYPES.has(row.content_type);
  return {
    id: row.id,
    name: row.name,
    size: Number(row.size),
    type: row.content_type,
    image,
    ...(image && row.width != null && row.height != null
      ? { width: Number(row.width), height: Number(row.height) }
      : {}),
  };
}

/**
 * The attachments of these messages, in each message's order, in one
 * query (a page's worth, like its reactions). Preview images are files of
 * the message too, but travel in its preview, not here.
 */
export async function attachmentsOf(
  db: Kysely<Database>,
  messageIds: readonly string[],
): Promise<Map<string, WireFile[]>> {
  const byMessage = new Map<string, WireFile[]>();
  if (messageIds.length === 0) return byMessage;
  const rows = await db
    .selectFrom("file")
    .select(["id", "name", "size", "content_type", "width", "height", "message_id"])
    .where("message_id", "in", [...messageIds])
    .where("purpose", "=", "attachment")
    .orderBy("message_id")
    .orderBy("position")
    .execute();
  for (const row of rows) {
    if (row.message_id === null) continue;
    const files = byMessage.get(row.message_id) ?? [];
    files.push(toWireFile(row));
    byMessage.set(row.message_id, files);
  }
  return byMessage;
}
