import type { Kysely } from "kysely";
import { effectiveLevel } from "../../core/notify";
import type { NotifyAudienceMember, NotifyStore } from "../../ports";
import { DEFAULT_NOTIFY_SETTINGS, type NotifyLevel, type RoomKind } from "../../protocol/frames";
import type { Database } from "./schema.server";

const LEVELS: ReadonlySet<string> = new Set(["all", "mentions", "nothing"]);
const asLevel = (value: string | null | undefined): NotifyLevel | null =>
  value && LEVELS.has(value) ? (value as NotifyLevel) : null;

/** Ids per IN list: well under SQLite's and PostgreSQL's parameter limits. */
const CHUNK = 500;

/** Notification preferences over either dialect (issue 13). */
export function createNotifyStore(db: Kysely<Database>, now: () => number): NotifyStore {
  return {
    async settings(userId) {
      const row = await db
        .selectFrom("notify_settings")
        .select(["default_level", "email", "show_text"])
        .where("user_id", "=", userId)
        .executeTakeFirst();
      if (!row) return { ...DEFAULT_NOTIFY_SETTINGS };
      return {
        defaultLevel: asLevel(row.default_level) ?? DEFAULT_NOTIFY_SETTINGS.defaultLevel,
        email: Number(row.email) === 1,
        showText: Number(row.show_text) === 1,
      };
    },
    async setSettings(userId, settings) {
      const values = {
        default_level: settings.defaultLevel,
        email: settings.email ? 1 : 0,
        show_text: settings.showText ? 1 : 0,
        updated_at: now(),
      };
      // One statement: two devices saving at once leave one whole row, never a mix.
      await db
        .insertInto("notify_settings")
        .values({ user_id: userId, ...values })
        .onConflict((oc) => oc.column("user_id").doUpdateSet(values))
        .execute();
    },
    async setRoom(roomId, userId, prefs) {
      const result = await db
        .updateTable("room_member")
        .set({ notify_level: prefs.level, muted: prefs.muted ? 1 : 0 })
        .where("room_id", "=", roomId)
        .where("user_id", "=", userId)
        .executeTakeFirst();
      // No row updated: not a member (or no such room); nothing is created.
      if (Number(result.numUpdatedRows) === 0) return undefined;
      return { level: prefs.level, muted: prefs.muted };
    },
    async audience(roomId, authorId, mentionIds) {
      const room = await db
        .selectFrom("room")
        .select("kind")
        .where("id", "=", roomId)
        .executeTakeFirst();
      if (!room) return [];
      const kind = room.kind as RoomKind;
      // Who may hear of it: found by index (room_member_notify_level,
      // notify_settings_default_level), never by reading every member.
      const ids = new Set(mentionIds);
      if (kind === "dm") {
        const rows = await db
          .selectFrom("room_member")
          .select("user_id")
          .where("room_id", "=", roomId)
          .execute();
        for (const row of rows) ids.add(row.user_id);
      } else {
        const own = await db
          .selectFrom("room_member")
          .select("user_id")
          .where("room_id", "=", roomId)
          .where("notify_level", "=", "all")
          .execute();
        for (const row of own) ids.add(row.user_id);
        const byDefault = await db
          .selectFrom("notify_settings as s")
          .innerJoin("room_member as m", (join) =>
            join.onRef("m.user_id", "=", "s.user_id").on("m.room_id", "=", roomId),
          )
          .select("s.user_id")
          .where("s.default_level", "=", "all")
          .where("m.notify_level", "is", null)
          .execute();
        for (const row of byDefault) ids.add(row.user_id);
      }
      ids.delete(authorId);
      const wanted = [...ids];
      const members: NotifyAudienceMember[] = [];
      for (let at = 0; at < wanted.length; at += CHUNK) {
        const rows = await db
          .selectFrom("room_member as m")
          .leftJoin("notify_settings as s", "s.user_id", "m.user_id")
          .select([
            "m.user_id",
            "m.notify_level",
            "m.muted",
            "m.last_read_seq",
            "s.default_level",
            "s.email",
            "s.show_text",
          ])
          .where("m.room_id", "=", roomId)
          .where("m.user_id", "in", wanted.slice(at, at + CHUNK))
          .execute();
        for (const row of rows) {
          const defaults = DEFAULT_NOTIFY_SETTINGS;
          members.push({
            userId: row.user_id,
            level: effectiveLevel(
              asLevel(row.notify_level),
              kind,
              asLevel(row.default_level) ?? defaults.defaultLevel,
            ),
            muted: Number(row.muted) === 1,
            lastReadSeq: Number(row.last_read_seq),
            email: row.email === null ? defaults.email : Number(row.email) === 1,
            showText: row.show_text === null ? defaults.showText : Number(row.show_text) === 1,
          });
        }
      }
      return members;
    },
  };
}
