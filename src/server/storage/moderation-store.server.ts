import type { Kysely, Transaction } from "kysely";
import type { AuditAction } from "../../core/audit";
import type { ModerationAction, Role, ServerRole } from "../../core/policy";
import type { ModerationOutcome, ModerationStore, PersonStanding } from "../../ports";
import { writeAudit } from "./audit.server";
import type { Database } from "./schema.server";

const SERVER_ROLES: readonly ServerRole[] = ["owner", "admin", "member", "guest"];

/** A stored server role as policy knows it (anything unknown counts as a member). */
export function serverRoleOf(value: string | null | undefined): ServerRole {
  return (SERVER_ROLES as readonly (string | null | undefined)[]).includes(value)
    ? (value as ServerRole)
    : "member";
}

/** A stored room role as policy knows it. */
export const roomRoleOf = (value: string | null | undefined): Role =>
  value === "moderator" ? "moderator" : "member";

const AUDITED: Record<ModerationAction, AuditAction> = {
  remove: "member.remove",
  ban: "member.ban",
  unban: "member.unban",
  mute: "member.mute",
  unmute: "member.unmute",
  make_moderator: "member.role",
  make_member: "member.role",
};

/** ModerationStore over either dialect: each change and its audit row share one transaction. */
export function createModerationStore(db: Kysely<Database>, now: () => number): ModerationStore {
  return {
    async standing(roomId, userId): Promise<PersonStanding | undefined> {
      const row = await db
        .selectFrom("user")
        .leftJoin("room_member", (join) =>
          join.onRef("room_member.user_id", "=", "user.id").on("room_member.room_id", "=", roomId),
        )
        .select([
          "user.name",
          "user.role as server_role",
          "room_member.user_id as member_id",
          "room_member.role as room_role",
          "room_member.mod_muted",
        ])
        .select((eb) =>
          eb
            .exists(
              eb
                .selectFrom("room_ban")
                .select("room_ban.user_id")
                .where("room_ban.room_id", "=", roomId)
                .whereRef("room_ban.user_id", "=", "user.id"),
            )
            .as("banned"),
        )
        .where("user.id", "=", userId)
        .executeTakeFirst();
      if (!row) return undefined;
      const serverRole = serverRoleOf(row.server_role);
      const membership =
        row.member_id === null
          ? { member: false as const, banned: Boolean(row.banned) }
          : {
              member: true as const,
              role: roomRoleOf(row.room_role),
              modMuted: Number(row.mod_muted) === 1,
            };
      return { name: row.name, serverRole, membership };
    },

    apply(roomId, userId, action, actorId) {
      return db.transaction().execute(async (trx) => {
        const at = now();
        const outcome = await change(trx, roomId, userId, action, actorId, at);
        if (outcome.changed) {
          const details =
            action === "make_moderator" || action === "make_member" ? { role: outcome.role } : {};
          await writeAudit(
            trx,
            { actorId, action: AUDITED[action], targetUserId: userId, roomId, details },
            at,
          );
        }
        return outcome;
      });
    },
  };
}

/** The change itself, inside the transaction; answers what the member's standing is after it. */
async function change(
  trx: Transaction<Database>,
  roomId: string,
  userId: string,
  action: ModerationAction,
  actorId: string,
  at: number,
): Promise<ModerationOutcome> {
  const gone: ModerationOutcome = { changed: false, role: "member", modMuted: false };
  const member = () =>
    trx.updateTable("room_member").where("room_id", "=", roomId).where("user_id", "=", userId);
  const leaveRoom = async () =>
    Number(
      (
        await trx
          .deleteFrom("room_member")
          .where("room_id", "=", roomId)
          .where("user_id", "=", userId)
          .executeTakeFirst()
      ).numDeletedRows,
    ) > 0;
  switch (action) {
    case "remove":
      return { ...gone, changed: await leaveRoom() };
    case "ban": {
      const left = await leaveRoom();
      const banned = await trx
        .insertInto("room_ban")
        .values({ room_id: roomId, user_id: userId, banned_by: actorId, created_at: at })
        .onConflict((oc) => oc.columns(["room_id", "user_id"]).doNothing())
        .executeTakeFirst();
      return { ...gone, changed: left || Number(banned.numInsertedOrUpdatedRows ?? 0) > 0 };
    }
    case "unban": {
      const lifted = await trx
        .deleteFrom("room_ban")
        .where("room_id", "=", roomId)
        .where("user_id", "=", userId)
        .executeTakeFirst();
      return { ...gone, changed: Number(lifted.numDeletedRows) > 0 };
    }
    case "mute":
    case "unmute": {
      const muted = action === "mute" ? 1 : 0;
      const updated = await member()
        .set({ mod_muted: muted })
        .where("mod_muted", "!=", muted)
        .executeTakeFirst();
      return after(trx, roomId, userId, Number(updated.numUpdatedRows) > 0);
    }
    case "make_moderator":
    case "make_member": {
      const role: Role = action === "make_moderator" ? "moderator" : "member";
      const updated = await member().set({ role }).where("role", "!=", role).executeTakeFirst();
      return after(trx, roomId, userId, Number(updated.numUpdatedRows) > 0);
    }
  }
}

/** The member's role and mute as they stand inside the transaction. */
async function after(
  trx: Transaction<Database>,
  roomId: string,
  userId: string,
  changed: boolean,
): Promise<ModerationOutcome> {
  const row = await trx
    .selectFrom("room_member")
    .select(["role", "mod_muted"])
    .where("room_id", "=", roomId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return {
    changed,
    role: roomRoleOf(row?.role),
    modMuted: Number(row?.mod_muted ?? 0) === 1,
  };
}
