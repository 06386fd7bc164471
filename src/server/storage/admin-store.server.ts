import { type Kysely, sql } from "kysely";
import { type ServerRole, serverRoleOf } from "../../core/admin-policy";
import { type AuditAction, isAuditAction } from "../../core/audit";
import { writeAudit } from "./audit.server";
import type { Database } from "./schema.server";

/**
 * What the /admin console reads and changes (issue 14), over either
 * dialect. Every change writes its audit row in the transaction that
 * makes it; the server functions (server/fns/admin*.ts) ask the admin
 * policy first and apply the realtime consequences after commit.
 */

/** A row of the users table. */
export type AdminUserRow = {
  id: string;
  name: string;
  handle: string | null;
  email: string | null;
  role: ServerRole;
  deactivatedAt: number | null;
  /** The latest activity of any of their sessions (ms), null when they have none. */
  lastSeen: number | null;
};

/** A page of the console's tables. */
export type Page<T> = { rows: T[]; total: number };

export const ADMIN_PAGE_SIZE = 50;

const asMs = (value: unknown): number | null => {
  if (value === null || value === undefined) return null;
  if (typeof value === "number") return value;
  const parsed = new Date(value as string).getTime();
  return Number.isFinite(parsed) ? parsed : null;
};

/** Escapes LIKE's wildcards so a search for "a_b" means that text. */
const likeOf = (text: string) => `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Users by name, handle or email (case-insensitive), by name; `offset` pages them. */
export async function listUsers(
  db: Kysely<Database>,
  options: { query?: string; offset?: number; limit?: number },
): Promise<Page<AdminUserRow>> {
  const limit = Math.min(options.limit ?? ADMIN_PAGE_SIZE, 200);
  const query = options.query?.trim() ?? "";
  let base = db.selectFrom("user");
  if (query) {
    const like = likeOf(query);
    base = base.where((eb) =>
      eb.or([
        eb(sql`lower(name)`, "like", sql`${like} escape '\\'`),
        eb(sql`lower(coalesce(handle, ''))`, "like", sql`${like} escape '\\'`),
        eb(sql`lower(coalesce(email, ''))`, "like", sql`${like} escape '\\'`),
      ]),
    );
  }
  const [rows, count] = await Promise.all([
    base
      .select([
        "user.id",
        "user.name",
        "user.handle",
        "user.email",
        "user.role",
        "user.deactivated_at",
        sql<unknown>`(select max(s."updatedAt") from "session" s where s."userId" = "user".id)`.as(
          "last_seen",
        ),
      ])
      .orderBy(sql`lower(name)`)
      .orderBy("user.id")
      .limit(limit)
      .offset(Math.max(0, options.offset ?? 0))
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return {
    total: Number(count.n),
    rows: rows.map((row) => ({
      id: row.id,
      name: row.name,
      handle: row.handle,
      email: row.email,
      role: serverRoleOf(row.role),
      deactivatedAt: asMs(row.deactivated_at),
      lastSeen: asMs(row.last_seen),
    })),
  };
}

/** The facts the admin policy decides on, read fresh; undefined for nobody. */
export async function userFacts(
  db: Kysely<Database>,
  userId: string,
): Promise<
  { id: string; role: ServerRole; email: string | null; deactivated: boolean } | undefined
> {
  const row = await db
    .selectFrom("user")
    .select(["id", "role", "email", "deactivated_at"])
    .where("id", "=", userId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    role: serverRoleOf(row.role),
    email: row.email,
    deactivated: row.deactivated_at !== null && row.deactivated_at !== undefined,
  };
}

/** How many owners the server has. */
export async function countOwners(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom("user")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("role", "=", "owner")
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Sets a user's server role, with its "user.role" audit row, in one
 * transaction. `from` is the role the policy was asked about: when it
 * changed meanwhile nothing is written (`stale`). An owner's demotion
 * counts the owners in the update's own condition, so it never leaves
 * none (`last_owner`).
 */
export async function setUserRole(
  db: Kysely<Database>,
  change: { actorId: string; userId: string; from: ServerRole; to: ServerRole },
): Promise<{ ok: true } | { ok: false; code: "stale" | "last_owner" }> {
  return db.transaction().execute(async (trx) => {
    let update = trx
      .updateTable("user")
      .set({ role: change.to })
      .where("id", "=", change.userId)
      .where("role", "=", change.from);
    // An owner's demotion leaves at least one owner, checked in the update itself.
    if (change.from === "owner") {
      update = update.where(
        sql<number>`(select count(*) from "user" where role = 'owner')`,
        ">",
        1,
      );
    }
    const updated = await update.executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) {
      const code = change.from === "owner" ? ("last_owner" as const) : ("stale" as const);
      return { ok: false as const, code };
    }
    await writeAudit(trx, {
      actorId: change.actorId,
      action: "user.role",
      targetUserId: change.userId,
      details: { from: change.from, to: change.to },
    });
    return { ok: true as const };
  });
}

/**
 * Deactivates (sets the mark and deletes every session of the user) or
 * reactivates (clears it), with its audit row, in one transaction.
 * `tokens`: the sessions deleted, whose sockets must now close.
 */
export async function setDeactivated(
  db: Kysely<Database>,
  change: { actorId: string; userId: string; deactivated: boolean },
  now = Date.now(),
): Promise<{ ok: true; changed: boolean; tokens: string[] } | { ok: false; code: "not_found" }> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom("user")
      .select(["id", "deactivated_at"])
      .where("id", "=", change.userId)
      .executeTakeFirst();
    if (!row) return { ok: false as const, code: "not_found" as const };
    const already = row.deactivated_at !== null && row.deactivated_at !== undefined;
    if (already === change.deactivated) {
      return { ok: true as const, changed: false, tokens: [] };
    }
    await trx
      .updateTable("user")
      .set({ deactivated_at: change.deactivated ? now : null })
      .where("id", "=", change.userId)
      .execute();
    let tokens: string[] = [];
    if (change.deactivated) {
      const sessions = await sql<{ token: string }>`select token from "session"
        where "userId" = ${change.userId}`.execute(trx);
      tokens = sessions.rows.map((s) => s.token);
      await sql`delete from "session" where "userId" = ${change.userId}`.execute(trx);
    }
    await writeAudit(
      trx,
      {
        actorId: change.actorId,
        action: change.deactivated ? "user.deactivate" : "user.reactivate",
        targetUserId: change.userId,
        details: change.deactivated ? { sessions: tokens.length } : {},
      },
      now,
    );
    return { ok: true as const, changed: true, tokens };
  });
}

/** Whether the account is deactivated (the sign-in gate asks this). */
export async function isDeactivated(db: Kysely<Database>, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom("user")
    .select("deactivated_at")
    .where("id", "=", userId)
    .executeTakeFirst();
  return row?.deactivated_at !== null && row?.deactivated_at !== undefined;
}

/** A row of the rooms table (DMs are not listed: they belong to their two people). */
export type AdminRoomRow = {
  id: string;
  slug: string;
  name: string;
  kind: "public" | "private";
  members: number;
  messages: number;
  archivedAt: number | null;
  isDefault: boolean;
  /** Its own "Keep messages for N days" (issue 15); null: the server's applies. */
  retentionDays: number | null;
};

/** Public and private rooms by name, with their member and message counts. */
export async function listRooms(
  db: Kysely<Database>,
  options: { query?: string; offset?: number; limit?: number },
): Promise<Page<AdminRoomRow>> {
  const limit = Math.min(options.limit ?? ADMIN_PAGE_SIZE, 200);
  const query = options.query?.trim() ?? "";
  let base = db.selectFrom("room").where("room.kind", "!=", "dm");
  if (query) base = base.where(sql`lower(room.name)`, "like", sql`${likeOf(query)} escape '\\'`);
  const [rows, count] = await Promise.all([
    base
      .select([
        "room.id",
        "room.slug",
        "room.name",
        "room.kind",
        "room.archived_at",
        "room.is_default",
        "room.retention_days",
        sql<number>`(select count(*) from room_member m where m.room_id = room.id)`.as("members"),
        sql<number>`(select count(*) from message g where g.room_id = room.id
          and g.deleted_at is null)`.as("messages"),
      ])
      .orderBy(sql`lower(room.name)`)
      .orderBy("room.id")
      .limit(limit)
      .offset(Math.max(0, options.offset ?? 0))
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return {
    total: Number(count.n),
    rows: rows.map((row) => ({
      id: row.id,
      slug: row.slug,
      name: row.name,
      kind: row.kind === "private" ? "private" : "public",
      members: Number(row.members),
      messages: Number(row.messages),
      archivedAt: asMs(row.archived_at),
      isDefault: Number(row.is_default) === 1,
      retentionDays: row.retention_days == null ? null : Number(row.retention_days),
    })),
  };
}

/**
 * Deletes a room and everything in it (messages and, through their
 * triggers, their search rows; members, bans, reactions, mentions, pins,
 * saved messages, thread follows, pending emails, file rows) with its
 * "room.delete" audit row, in one transaction. Answers the members (whose
 * sockets leave it) and the blob keys of its files (deleted after commit:
 * a blob outliving its row is swept, a row without its blob is not).
 */
export async function deleteRoom(
  db: Kysely<Database>,
  change: { actorId: string; roomId: string },
): Promise<
  | { ok: true; members: string[]; blobKeys: string[] }
  | { ok: false; code: "not_found" | "default_room" }
> {
  return db.transaction().execute(async (trx) => {
    const room = await trx
      .selectFrom("room")
      .select(["id", "name", "slug", "kind", "is_default"])
      .where("id", "=", change.roomId)
      .executeTakeFirst();
    if (!room || room.kind === "dm") return { ok: false as const, code: "not_found" as const };
    if (Number(room.is_default) === 1) {
      return { ok: false as const, code: "default_room" as const };
    }
    const roomId = room.id;
    const members = (
      await trx.selectFrom("room_member").select("user_id").where("room_id", "=", roomId).execute()
    ).map((m) => m.user_id);
    const inRoom = trx.selectFrom("message").select("id").where("room_id", "=", roomId);
    const files = await trx
      .selectFrom("file")
      .select(["blob_key", "thumb_key"])
      .where((eb) => eb.or([eb("room_id", "=", roomId), eb("message_id", "in", inRoom)]))
      .execute();
    await trx
      .deleteFrom("file")
      .where((eb) => eb.or([eb("room_id", "=", roomId), eb("message_id", "in", inRoom)]))
      .execute();
    await trx.deleteFrom("reaction").where("message_id", "in", inRoom).execute();
    for (const table of [
      "saved_message",
      "message_mention",
      "thread_follow",
      "email_pending",
      "room_ban",
      "room_member",
    ] as const) {
      await trx.deleteFrom(table).where("room_id", "=", roomId).execute();
    }
    await trx.deleteFrom("message").where("room_id", "=", roomId).execute();
    await trx.deleteFrom("room").where("id", "=", roomId).execute();
    await writeAudit(trx, {
      actorId: change.actorId,
      action: "room.delete",
      roomId,
      details: {
        name: room.name,
        slug: room.slug,
        kind: room.kind,
        members: members.length,
        files: files.length,
      },
    });
    const blobKeys = files.flatMap((f) => (f.thumb_key ? [f.blob_key, f.thumb_key] : [f.blob_key]));
    return { ok: true as const, members, blobKeys };
  });
}

/** A row of the audit table, with the names it refers to (a deleted room keeps its name in details). */
export type AdminAuditRow = {
  id: string;
  at: number;
  actorId: string;
  actorName: string | null;
  action: string;
  targetUserId: string | null;
  targetName: string | null;
  roomId: string | null;
  roomName: string | null;
  /** The details as stored (a JSON object's text), "{}" for none. */
  details: string;
};

export type AuditFilter = {
  actorId?: string;
  action?: AuditAction;
  /** Inclusive bounds, ms. */
  from?: number;
  to?: number;
};

/** The audit log, newest first, filtered, a page at a time. */
export async function listAudit(
  db: Kysely<Database>,
  filter: AuditFilter & { offset?: number; limit?: number },
): Promise<Page<AdminAuditRow>> {
  const limit = Math.min(filter.limit ?? ADMIN_PAGE_SIZE, 200);
  let base = db.selectFrom("audit_log as a");
  if (filter.actorId) base = base.where("a.actor_id", "=", filter.actorId);
  if (filter.action && isAuditAction(filter.action))
    base = base.where("a.action", "=", filter.action);
  if (filter.from !== undefined) base = base.where("a.at", ">=", filter.from);
  if (filter.to !== undefined) base = base.where("a.at", "<=", filter.to);
  const [rows, count] = await Promise.all([
    base
      .leftJoin("user as actor", "actor.id", "a.actor_id")
      .leftJoin("user as target", "target.id", "a.target_user_id")
      .leftJoin("room as r", "r.id", "a.room_id")
      .select([
        "a.id",
        "a.at",
        "a.actor_id",
        "a.action",
        "a.target_user_id",
        "a.room_id",
        "a.details",
        "actor.name as actor_name",
        "target.name as target_name",
        "r.name as room_name",
      ])
      .orderBy("a.at", "desc")
      .orderBy("a.id", "desc")
      .limit(limit)
      .offset(Math.max(0, filter.offset ?? 0))
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return {
    total: Number(count.n),
    rows: rows.map((row) => {
      let details: Record<string, unknown> = {};
      try {
        const parsed: unknown = JSON.parse(row.details);
        if (parsed && typeof parsed === "object") details = parsed as Record<string, unknown>;
      } catch {
        // A row written by hand: shown without details.
      }
      return {
        id: row.id,
        at: Number(row.at),
        actorId: row.actor_id,
        actorName: row.actor_name,
        action: row.action,
        targetUserId: row.target_user_id,
        targetName: row.target_name,
        roomId: row.room_id,
        roomName: row.room_name ?? (typeof details.name === "string" ? details.name : null),
        details: JSON.stringify(details),
      };
    }),
  };
}

/** Everyone who appears as an actor in the log, for the actor filter. */
export async function auditActors(db: Kysely<Database>): Promise<{ id: string; name: string }[]> {
  const rows = await db
    .selectFrom("user")
    .select(["id", "name"])
    .where("id", "in", db.selectFrom("audit_log").select("actor_id").distinct())
    .orderBy(sql`lower(name)`)
    .limit(500)
    .execute();
  return rows;
}
