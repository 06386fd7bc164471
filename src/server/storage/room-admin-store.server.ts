import type { Kysely } from "kysely";
import type { RoomAdminStore } from "../../ports";
import { writeAudit } from "./audit.server";
import type { Database } from "./schema.server";

/** RoomAdminStore over either dialect: each change and its audit row share one transaction. */
export function createRoomAdminStore(db: Kysely<Database>, now: () => number): RoomAdminStore {
  return {
    async setArchived(roomId, archived, actorId) {
      return db.transaction().execute(async (trx) => {
        const room = await trx
          .selectFrom("room")
          .select(["kind", "archived_at"])
          .where("id", "=", roomId)
          .executeTakeFirst();
        if (!room || room.kind === "dm") return { ok: false as const, code: "not_found" as const };
        if ((room.archived_at !== null) === archived) return { ok: true as const, changed: false };
        const at = now();
        await trx
          .updateTable("room")
          .set({ archived_at: archived ? at : null })
          .where("id", "=", roomId)
          .execute();
        await writeAudit(
          trx,
          { actorId, action: archived ? "room.archive" : "room.unarchive", roomId },
          at,
        );
        return { ok: true as const, changed: true };
      });
    },
  };
}
