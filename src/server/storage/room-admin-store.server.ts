import type { Kysely } from "kysely";
import { serverRoleOf } from "../../core/policy";
import { privateSlug } from "../../core/rooms";
import type { RoomAdminStore, RoomSettingsResult } from "../../ports";
import type { RoomUpdate } from "../../protocol/frames";
import { writeAudit } from "./audit.server";
import type { Database } from "./schema.server";

/** Thrown inside the transaction to roll it back and still answer. */
class Refused extends Error {
  constructor(readonly result: RoomSettingsResult) {
    super("room settings refused");
  }
}

/** A unique key (slug, skeleton) taken by a rename that raced this one, on either driver. */
function isUniqueViolation(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  return code === "23505" || /UNIQUE constraint failed/i.test(String(message ?? error));
}

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

    async setSettings(roomId, settings, actorId) {
      try {
        return await db.transaction().execute(async (trx): Promise<RoomSettingsResult> => {
          const room = await trx
            .selectFrom("room")
            .select([
              "id",
              "name",
              "slug",
              "kind",
              "is_default",
              "topic",
              "announcement_only",
              "archived_at",
            ])
            .where("id", "=", roomId)
            .executeTakeFirst();
          if (!room || room.kind === "dm") return { ok: false, code: "not_found" };
          const at = now();
          const next: RoomUpdate = {
            id: room.id,
            name: room.name,
            slug: room.slug,
            topic: room.topic,
            announcementOnly: Number(room.announcement_only) === 1,
            archived: room.archived_at !== null,
          };
          let changed = false;
          const rename = settings.name;
          if (rename && rename.name !== room.name) {
            const slug = renamedSlug(room, rename.slug);
            const skeleton = room.kind === "public" ? rename.skeleton || null : null;
            if (skeleton) {
              const similar = await trx
                .selectFrom("room")
                .select("name")
                .where("skeleton", "=", skeleton)
                .where("kind", "=", "public")
                .where("id", "!=", roomId)
                .executeTakeFirst();
              if (similar)
                throw new Refused({ ok: false, code: "lookalike", existing: similar.name });
            }
            if (slug !== room.slug) {
              const taken = await trx
                .selectFrom("room")
                .select("id")
                .where("slug", "=", slug)
                .executeTakeFirst();
              if (taken) throw new Refused({ ok: false, code: "taken" });
            }
            await trx
              .updateTable("room")
              .set({ name: rename.name, slug, skeleton })
              .where("id", "=", roomId)
              .execute();
            await writeAudit(
              trx,
              {
                actorId,
                action: "room.rename",
                roomId,
                details: { from: room.name, to: rename.name, slug },
              },
              at,
            );
            next.name = rename.name;
            next.slug = slug;
            changed = true;
          }
          if (settings.topic !== undefined && settings.topic !== room.topic) {
            await trx
              .updateTable("room")
              .set({ topic: settings.topic })
              .where("id", "=", roomId)
              .execute();
            await writeAudit(
              trx,
              {
                actorId,
                action: "room.topic",
                roomId,
                details: { from: room.topic, to: settings.topic },
              },
              at,
            );
            next.topic = settings.topic;
            changed = true;
          }
          if (
            settings.announcementOnly !== undefined &&
            settings.announcementOnly !== next.announcementOnly
          ) {
            await trx
              .updateTable("room")
              .set({ announcement_only: settings.announcementOnly ? 1 : 0 })
              .where("id", "=", roomId)
              .execute();
            await writeAudit(
              trx,
              {
                actorId,
                action: "room.announcement",
                roomId,
                details: { announcementOnly: settings.announcementOnly },
              },
              at,
            );
            next.announcementOnly = settings.announcementOnly;
            changed = true;
          }
          return { ok: true, room: next, changed };
        });
      } catch (error) {
        if (error instanceof Refused) return error.result;
        // Another rename took the slug or skeleton between the check and the update.
        if (isUniqueViolation(error)) return { ok: false, code: "taken" };
        throw error;
      }
    },

    async serverRole(userId) {
      const user = await db
        .selectFrom("user")
        .select("role")
        .where("id", "=", userId)
        .executeTakeFirst();
      return serverRoleOf(user?.role);
    },

    async shareRoom(a, b) {
      const row = await db
        .selectFrom("room_member as mine")
        .innerJoin("room_member as theirs", "theirs.room_id", "mine.room_id")
        .innerJoin("room", "room.id", "mine.room_id")
        .select("mine.room_id")
        .where("mine.user_id", "=", a)
        .where("theirs.user_id", "=", b)
        .where("room.kind", "!=", "dm")
        .executeTakeFirst();
      return row !== undefined;
    },

    async standing(roomId, userId) {
      const [user, member] = await Promise.all([
        db.selectFrom("user").select("role").where("id", "=", userId).executeTakeFirst(),
        db
          .selectFrom("room_member")
          .select("role")
          .where("room_id", "=", roomId)
          .where("user_id", "=", userId)
          .executeTakeFirst(),
      ]);
      return {
        serverRole: serverRoleOf(user?.role),
        roomRole: member ? (member.role === "moderator" ? "moderator" : "member") : null,
      };
    },
  };
}

/**
 * A renamed room's slug: a public room takes the new name's slug (as
 * createRoom), a private room keeps its random suffix (core/rooms
 * privateSlug), and the default room keeps "general" (it is found by it).
 */
function renamedSlug(room: { slug: string; kind: string; is_default: number }, slug: string) {
  if (Number(room.is_default) === 1) return room.slug;
  if (room.kind === "private") {
    const at = room.slug.lastIndexOf("--");
    return at < 0 ? room.slug : privateSlug(slug, room.slug.slice(at + 2));
  }
  return slug;
}
