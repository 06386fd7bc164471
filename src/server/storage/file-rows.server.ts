import type { Kysely } from "kysely";
import type { WireFile } from "../../protocol/frames";
import { toStoredFile, toWireFile } from "./file-store.server";
import type { Database } from "./schema.server";

/**
 * The attachments of these messages, in each message's order, in one
 * query (a page's worth, like its reactions), in the wire shape the upload
 * answers with (file-store's toWireFile: one rule for `image`). Preview
 * images are files of the message too, but travel in its preview.
 */
export async function attachmentsOf(
  db: Kysely<Database>,
  messageIds: readonly string[],
): Promise<Map<string, WireFile[]>> {
  const byMessage = new Map<string, WireFile[]>();
  if (messageIds.length === 0) return byMessage;
  const rows = await db
    .selectFrom("file")
    .selectAll()
    .where("message_id", "in", [...messageIds])
    .where("purpose", "=", "attachment")
    .orderBy("message_id")
    .orderBy("position")
    .execute();
  for (const row of rows) {
    if (row.message_id === null) continue;
    const files = byMessage.get(row.message_id) ?? [];
    files.push(toWireFile(toStoredFile(row)));
    byMessage.set(row.message_id, files);
  }
  return byMessage;
}
