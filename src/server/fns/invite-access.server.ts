import type { Kysely } from "kysely";
import type { Database } from "../storage/schema.server";

/** The user's server role (owner | admin | member | guest), "member" when unknown. */
export async function serverRoleOf(db: Kysely<Database>, userId: string): Promise<string> {
  const row = await db
    .selectFrom("user")
    .select("role")
    .where("id", "=", userId)
    .executeTakeFirst();
  return row?.role ?? "member";
}

export const isAdminRole = (role: string) => role === "owner" || role === "admin";

/** Whether the user moderates the room (room_member.role, migration 0016). */
export async function moderates(
  db: Kysely<Database>,
  roomId: string,
  userId: string,
): Promise<boolean> {
  const row = await db
    .selectFrom("room_member")
    .select("role")
    .where("room_id", "=", roomId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return row?.role === "moderator";
}

/**
 * Who may make an invite link (issue 14): admins any link; a room's
 * moderators a member link to their room. Guest links are admins' only.
 */
export async function mayCreateInvite(
  db: Kysely<Database>,
  userId: string,
  invite: { roomId: string | null; role: string },
): Promise<{ ok: true } | { ok: false; error: string }> {
  if (isAdminRole(await serverRoleOf(db, userId))) return { ok: true };
  if (invite.roomId === null) return { ok: false, error: "Only admins make server invite links." };
  if (invite.role !== "member") return { ok: false, error: "Only admins make guest invite links." };
  if (!(await moderates(db, invite.roomId, userId))) {
    return { ok: false, error: "Only this room's moderators and admins make its invite links." };
  }
  return { ok: true };
}
