import type { Kysely } from "kysely";
import { visibleStatus } from "../../core/profile-details";
import type { ProfileDetailsStore } from "../../ports";
import type { Database } from "./schema.server";

/** The avatar key's last part (a random id) is its version: a new upload is a new URL. */
export const avatarVersion = (key: string) => key.slice(key.lastIndexOf("/") + 1);

/** ProfileDetailsStore over either dialect (migration 0019's user_profile). */
export function createProfileDetailsStore(
  db: Kysely<Database>,
  now: () => number,
): ProfileDetailsStore {
  const userExists = async (userId: string) =>
    Boolean(await db.selectFrom("user").select("id").where("id", "=", userId).executeTakeFirst());

  return {
    async details(userId, at) {
      const row = await db
        .selectFrom("user")
        .leftJoin("user_profile", "user_profile.user_id", "user.id")
        .select([
          "user.id",
          "user.name",
          "user.handle",
          "user.role",
          "user.bot",
          "user_profile.status_text",
          "user_profile.status_emoji",
          "user_profile.status_expires_at",
          "user_profile.time_zone",
          "user_profile.avatar_key",
        ])
        .where("user.id", "=", userId)
        .executeTakeFirst();
      if (!row) return undefined;
      const stored =
        row.status_text !== null || row.status_emoji !== null
          ? {
              text: row.status_text ?? "",
              emoji: row.status_emoji,
              expiresAt: row.status_expires_at === null ? null : Number(row.status_expires_at),
            }
          : null;
      return {
        id: row.id,
        name: row.name,
        handle: row.handle,
        role: row.role ?? "member",
        status: visibleStatus(stored, at),
        timeZone: row.time_zone,
        avatar: row.avatar_key ? avatarVersion(row.avatar_key) : null,
        ...(Number(row.bot) === 1 && { bot: true as const }),
      };
    },

    async setDetails(userId, { status, timeZone }) {
      if (!(await userExists(userId))) return false;
      const values = {
        status_text: status?.text ?? null,
        status_emoji: status?.emoji ?? null,
        status_expires_at: status?.expiresAt ?? null,
        time_zone: timeZone,
        updated_at: now(),
      };
      await db
        .insertInto("user_profile")
        .values({ user_id: userId, avatar_key: null, ...values })
        .onConflict((conflict) => conflict.column("user_id").doUpdateSet(values))
        .execute();
      return true;
    },

    async setAvatar(userId, key) {
      return db.transaction().execute(async (trx) => {
        const user = await trx
          .selectFrom("user")
          .select("id")
          .where("id", "=", userId)
          .executeTakeFirst();
        if (!user) return { ok: false as const };
        const before = await trx
          .selectFrom("user_profile")
          .select("avatar_key")
          .where("user_id", "=", userId)
          .executeTakeFirst();
        await trx
          .insertInto("user_profile")
          .values({
            user_id: userId,
            status_text: null,
            status_emoji: null,
            status_expires_at: null,
            time_zone: null,
            avatar_key: key,
            updated_at: now(),
          })
          .onConflict((conflict) =>
            conflict.column("user_id").doUpdateSet({ avatar_key: key, updated_at: now() }),
          )
          .execute();
        return { ok: true as const, previous: before?.avatar_key ?? null };
      });
    },

    async avatarKey(userId) {
      const row = await db
        .selectFrom("user_profile")
        .select("avatar_key")
        .where("user_id", "=", userId)
        .executeTakeFirst();
      return row?.avatar_key ?? null;
    },

    async avatarsOf(userIds) {
      if (userIds.length === 0) return {};
      const rows = await db
        .selectFrom("user_profile")
        .select(["user_id", "avatar_key"])
        .where("user_id", "in", [...new Set(userIds)])
        .where("avatar_key", "is not", null)
        .execute();
      const out: Record<string, string> = {};
      for (const row of rows) if (row.avatar_key) out[row.user_id] = avatarVersion(row.avatar_key);
      return out;
    },
  };
}
