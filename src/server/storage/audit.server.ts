import { randomUUID } from "node:crypto";
import type { Kysely, Transaction } from "kysely";
import type { AuditEntry } from "../../core/audit";
import type { Database } from "./schema.server";

/**
 * Writes one audit row inside the caller's transaction: the change and its
 * record commit together or not at all. Pass the transaction the change is
 * made in, never the root handle (that would commit the row on its own).
 * Tests make the insert fail (a trigger, a dropped table) to show the
 * action rolls back with it.
 */
export async function writeAudit(
  trx: Transaction<Database> | Kysely<Database>,
  entry: AuditEntry,
  now = Date.now(),
): Promise<void> {
  await trx
    .insertInto("audit_log")
    .values({
      id: randomUUID(),
      at: now,
      actor_id: entry.actorId,
      action: entry.action,
      target_user_id: entry.targetUserId ?? null,
      room_id: entry.roomId ?? null,
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
}
