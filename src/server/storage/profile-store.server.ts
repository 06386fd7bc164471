import { type Kysely, sql } from "kysely";
import { renameMentions } from "../../core/handle-rename";
import type { ProfileChange } from "../../ports";
import type { Database } from "./schema.server";

/** The unique index on lower(handle) refused a write: someone else took the handle first. */
export function isHandleTaken(error: unknown): boolean {
  const { code, constraint, message } = (error ?? {}) as {
    code?: string;
    constraint?: string;
    message?: string;
  };
  if (code === "23505") return constraint === "user_handle_unique";
  // node:sqlite names the index in its message ("UNIQUE constraint failed: index 'user_handle_unique'").
  return typeof message === "string" && message.includes("user_handle_unique");
}

/**
 * Sets a user's display name and handle (both already checked and in their
 * stored form) in one transaction with the rewrite of their old mentions:
 * every message that mentions them (message_mention, by id, so a message
 * whose `@old` meant someone else is never touched) gets `@old` → `@new`.
 * Rewritten texts keep their `rev`: a tab holding the old text shows it
 * until it loads the message again. Two changes racing for one free
 * handle: the unique index lets one commit and the other answers "taken".
 */
export async function changeProfile(
  db: Kysely<Database>,
  userId: string,
  profile: { name: string; handle: string },
): Promise<ProfileChange> {
  try {
    return await db.transaction().execute(async (trx) => {
      const before = await trx
        .selectFrom("user")
        .select(["id", "name", "handle"])
        .where("id", "=", userId)
        .executeTakeFirst();
      if (!before) return { ok: false as const, reason: "missing" as const };
      const owner = await trx
        .selectFrom("user")
        .select("id")
        .where(sql`lower(handle)`, "=", profile.handle.toLowerCase())
        .where("id", "!=", userId)
        .executeTakeFirst();
      if (owner) return { ok: false as const, reason: "taken" as const };
      await trx
        .updateTable("user")
        .set({ name: profile.name, handle: profile.handle })
        .where("id", "=", userId)
        .execute();
      const old = before.handle;
      const renamed = old !== null && old.toLowerCase() !== profile.handle.toLowerCase();
      const rewritten = renamed ? await rewriteMentionsOf(trx, userId, old, profile.handle) : 0;
      return {
        ok: true as const,
        user: { id: userId, name: profile.name, handle: profile.handle },
        previous: old
          ? { id: userId, name: before.name, handle: old }
          : { id: userId, name: before.name },
        rewritten,
      };
    });
  } catch (error) {
    if (isHandleTaken(error)) return { ok: false, reason: "taken" };
    throw error;
  }
}

/** `@from` → `@to` in the messages that mention this user; answers how many changed. */
async function rewriteMentionsOf(
  trx: Kysely<Database>,
  userId: string,
  from: string,
  to: string,
): Promise<number> {
  const rows = await trx
    .selectFrom("message_mention")
    .innerJoin("message", (join) =>
      join
        .onRef("message.room_id", "=", "message_mention.room_id")
        .onRef("message.seq", "=", "message_mention.seq"),
    )
    .select(["message.id", "message.text"])
    .where("message_mention.user_id", "=", userId)
    .execute();
  let changed = 0;
  for (const row of rows) {
    const text = renameMentions(row.text, from, to);
    if (text === row.text) continue;
    await trx.updateTable("message").set({ text }).where("id", "=", row.id).execute();
    changed++;
  }
  return changed;
}
