import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { InviteRole } from "../../core/invites";
import { writeAudit } from "./audit.server";
import type { Database } from "./schema.server";

/**
 * Invite links (issue 14, migration 0017). The token is 32 random bytes
 * (base64url) handed out once; only its SHA-256 is stored. Every function
 * takes the database handle: the auth hooks (which get a bare Kysely) and
 * the server functions share them.
 */
export function hashInviteToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export type NewInvite = {
  createdBy: string;
  roomId: string | null;
  role: InviteRole;
  /** Milliseconds from now, or null for never. */
  expiresInMs: number | null;
  /** null for unlimited. */
  maxUses: number | null;
};

/** Creates a link and its audit row (invite.create) in one transaction; answers the token. */
export async function createInvite(
  db: Kysely<Database>,
  invite: NewInvite,
  now = Date.now(),
): Promise<{ id: string; token: string; expiresAt: number | null }> {
  const id = randomUUID();
  const token = randomBytes(32).toString("base64url");
  const expiresAt = invite.expiresInMs === null ? null : now + invite.expiresInMs;
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("invite")
      .values({
        id,
        token_hash: hashInviteToken(token),
        created_by: invite.createdBy,
        room_id: invite.roomId,
        role: invite.role,
        created_at: now,
        expires_at: expiresAt,
        max_uses: invite.maxUses,
      })
      .execute();
    await writeAudit(
      trx,
      {
        actorId: invite.createdBy,
        action: "invite.create",
        roomId: invite.roomId,
        details: { inviteId: id, role: invite.role, expiresAt, maxUses: invite.maxUses },
      },
      now,
    );
  });
  return { id, token, expiresAt };
}

/** Revokes a link (and writes invite.revoke) unless it was revoked already; false when nothing changed. */
export async function revokeInvite(
  db: Kysely<Database>,
  id: string,
  actorId: string,
  now = Date.now(),
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable("invite")
      .set({ revoked_at: now })
      .where("id", "=", id)
      .where("revoked_at", "is", null)
      .returning(["room_id"])
      .executeTakeFirst();
    if (!result) return false;
    await writeAudit(
      trx,
      { actorId, action: "invite.revoke", roomId: result.room_id, details: { inviteId: id } },
      now,
    );
    return true;
  });
}

export type InviteDetails = {
  id: string;
  roomId: string | null;
  roomName: string | null;
  roomSlug: string | null;
  role: string;
  createdBy: string;
  creatorName: string | null;
  createdAt: number;
  expiresAt: number | null;
  maxUses: number | null;
  uses: number;
  revokedAt: number | null;
};

function details(db: Kysely<Database>) {
  return db
    .selectFrom("invite")
    .leftJoin("room", "room.id", "invite.room_id")
    .leftJoin("user", "user.id", "invite.created_by")
    .select([
      "invite.id as id",
      "invite.room_id as roomId",
      "room.name as roomName",
      "room.slug as roomSlug",
      "invite.role as role",
      "invite.created_by as createdBy",
      "user.name as creatorName",
      "invite.created_at as createdAt",
      "invite.expires_at as expiresAt",
      "invite.max_uses as maxUses",
      "invite.uses as uses",
      "invite.revoked_at as revokedAt",
    ]);
}

function numbers(row: InviteDetails): InviteDetails {
  // PostgreSQL answers bigint columns as strings.
  const n = (v: number | string | null) => (v === null ? null : Number(v));
  return {
    ...row,
    createdAt: Number(row.createdAt),
    expiresAt: n(row.expiresAt),
    maxUses: n(row.maxUses),
    uses: Number(row.uses),
    revokedAt: n(row.revokedAt),
  };
}

/** The link behind a token, with its room and creator, or undefined. */
export async function findInvite(
  db: Kysely<Database>,
  token: string,
): Promise<InviteDetails | undefined> {
  const row = await details(db)
    .where("invite.token_hash", "=", hashInviteToken(token))
    .executeTakeFirst();
  return row ? numbers(row as InviteDetails) : undefined;
}

/** The newest links first (the admin list). */
export async function listInvites(db: Kysely<Database>, limit = 200): Promise<InviteDetails[]> {
  const rows = await details(db)
    .orderBy("invite.created_at", "desc")
    .orderBy("invite.id", "desc")
    .limit(limit)
    .execute();
  return rows.map((row) => numbers(row as InviteDetails));
}

/**
 * Counts one use of the link when it is usable now, in one conditional
 * update: two requests racing for the last use cannot both pass (the
 * second's `uses < max_uses` no longer holds). Answers what the use gives,
 * or undefined when the link is not usable.
 */
export async function consumeInvite(
  db: Kysely<Database>,
  token: string,
  now = Date.now(),
): Promise<{ id: string; roomId: string | null; role: string } | undefined> {
  const row = await db
    .updateTable("invite")
    .set((eb) => ({ uses: eb("uses", "+", 1) }))
    .where("token_hash", "=", hashInviteToken(token))
    .where("revoked_at", "is", null)
    .where((eb) => eb.or([eb("expires_at", "is", null), eb("expires_at", ">", now)]))
    .where((eb) => eb.or([eb("max_uses", "is", null), eb("uses", "<", eb.ref("max_uses"))]))
    .returning(["id", "room_id", "role"])
    .executeTakeFirst();
  return row ? { id: row.id, roomId: row.room_id, role: row.role } : undefined;
}

/** Gives back a use counted for an account that was then not created. */
export async function releaseInviteUse(db: Kysely<Database>, id: string): Promise<void> {
  await db
    .updateTable("invite")
    .set((eb) => ({ uses: eb("uses", "-", 1) }))
    .where("id", "=", id)
    .where("uses", ">", 0)
    .execute();
}

/** Whether the user is banned from the room (an invite does not lift a ban). */
export async function bannedFrom(
  db: Kysely<Database>,
  roomId: string,
  userId: string,
): Promise<boolean> {
  const row = await db
    .selectFrom("room_ban")
    .select("user_id")
    .where("room_id", "=", roomId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Whether the user already belongs to the room. */
export async function memberOf(
  db: Kysely<Database>,
  roomId: string,
  userId: string,
): Promise<boolean> {
  const row = await db
    .selectFrom("room_member")
    .select("user_id")
    .where("room_id", "=", roomId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Adds the member (no-op when already one). */
export async function joinByInvite(
  db: Kysely<Database>,
  roomId: string,
  userId: string,
  now = Date.now(),
): Promise<void> {
  await db
    .insertInto("room_member")
    .values({ room_id: roomId, user_id: userId, joined_at: now })
    .onConflict((oc) => oc.columns(["room_id", "user_id"]).doNothing())
    .execute();
}
