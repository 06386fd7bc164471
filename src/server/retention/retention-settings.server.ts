import type { Kysely } from "kysely";
import { checkRetentionDays } from "../../core/retention";
import { writeAudit } from "../storage/audit.server";
import type { Database } from "../storage/schema.server";

/** The server_setting row of the server-wide limit (migration 0020's comment). */
export const RETENTION_KEY = "retention_days";

/** The server-wide limit in days; null (no row, or a value that is not one) keeps forever. */
export async function readServerRetention(db: Kysely<Database>): Promise<number | null> {
  const row = await db
    .selectFrom("server_setting")
    .select("value")
    .where("key", "=", RETENTION_KEY)
    .executeTakeFirst();
  if (!row) return null;
  let value: unknown;
  try {
    value = JSON.parse(row.value);
  } catch {
    return null;
  }
  // A hand-edited row that breaks the rule keeps everything rather than guess.
  const checked = checkRetentionDays(value);
  return checked.ok ? checked.days : null;
}

/**
 * Sets the server-wide limit (null: forever) with its "retention.update"
 * audit row (scope, from, to) in one transaction.
 */
export async function writeServerRetention(
  db: Kysely<Database>,
  days: number | null,
  actorId: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const previous = await readServerRetention(trx);
    if (days === null)
      await trx.deleteFrom("server_setting").where("key", "=", RETENTION_KEY).execute();
    else {
      const value = JSON.stringify(days);
      await trx
        .insertInto("server_setting")
        .values({ key: RETENTION_KEY, value })
        .onConflict((oc) => oc.column("key").doUpdateSet({ value }))
        .execute();
    }
    await writeAudit(trx, {
      actorId,
      action: "retention.update",
      details: { scope: "server", from: previous, to: days },
    });
  });
}

/**
 * Sets one room's own limit (null: the server's applies) with its
 * "retention.update" audit row in one transaction; false when there is no
 * such room (direct messages have no console row, so none either).
 */
export async function writeRoomRetention(
  db: Kysely<Database>,
  roomId: string,
  days: number | null,
  actorId: string,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const room = await trx
      .selectFrom("room")
      .select(["kind", "retention_days"])
      .where("id", "=", roomId)
      .executeTakeFirst();
    if (!room || room.kind === "dm") return false;
    await trx.updateTable("room").set({ retention_days: days }).where("id", "=", roomId).execute();
    await writeAudit(trx, {
      actorId,
      action: "retention.update",
      roomId,
      details: { scope: "room", from: room.retention_days ?? null, to: days },
    });
    return true;
  });
}
