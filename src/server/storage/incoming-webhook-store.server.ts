import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Kysely } from "kysely";
import type { WireUser } from "../../protocol/frames";
import { writeAudit } from "./audit.server";
import { insertBotUser } from "./bot-store.server";
import type { Database } from "./schema.server";

/**
 * A room's incoming webhooks (issue 15, table incoming_webhook of migration
 * 0020). Each posts as its own bot user, made with it: a user row with
 * bot = 1, the webhook's name, no password and no account row, so nobody
 * can sign in as it, and a member of the room so the send path's member
 * gate applies to it as to anyone. Only the SHA-256 of the URL's secret is
 * kept; the secret itself is answered once, by `createIncomingWebhook`.
 */
export type IncomingWebhookInfo = {
  id: string;
  name: string;
  createdAt: number;
  /** Who made it, by name (null if that account is gone). */
  createdBy: string | null;
};

/** What the hook route needs of a live webhook its URL named. */
export type LiveWebhook = { id: string; roomId: string; name: string; bot: WireUser };

const hashOf = (secret: string) => createHash("sha256").update(secret).digest("hex");

/** A webhook id: short, URL-safe, with a prefix that says what it is in logs. */
const newId = () => `wh_${randomBytes(9).toString("base64url")}`;

/** 256 bits, URL-safe: the part of the URL that is the credential. */
const newSecret = () => randomBytes(32).toString("base64url");

/**
 * Makes a webhook in `roomId`, its bot user and the bot's membership, and
 * the `webhook.create` audit row, in one transaction. The caller checked
 * core/policy mayManageIncomingWebhooks and the name.
 */
export async function createIncomingWebhook(
  db: Kysely<Database>,
  input: { roomId: string; name: string; actorId: string },
  now = Date.now(),
): Promise<{ webhook: IncomingWebhookInfo; secret: string; botUserId: string }> {
  const id = newId();
  const secret = newSecret();
  const botUserId = `bot_${id}`;
  await db.transaction().execute(async (trx) => {
    await insertBotUser(trx, { id: botUserId, name: input.name }, now);
    await trx
      .insertInto("room_member")
      .values({ room_id: input.roomId, user_id: botUserId, joined_at: now, notify_level: null })
      .execute();
    await trx
      .insertInto("incoming_webhook")
      .values({
        id,
        room_id: input.roomId,
        name: input.name,
        bot_user_id: botUserId,
        secret_hash: hashOf(secret),
        created_by: input.actorId,
        created_at: now,
        revoked_at: null,
      })
      .execute();
    await writeAudit(
      trx,
      {
        actorId: input.actorId,
        action: "webhook.create",
        roomId: input.roomId,
        targetUserId: botUserId,
        details: { webhookId: id, name: input.name },
      },
      now,
    );
  });
  const actor = await db
    .selectFrom("user")
    .select("name")
    .where("id", "=", input.actorId)
    .executeTakeFirst();
  return {
    webhook: { id, name: input.name, createdAt: now, createdBy: actor?.name ?? null },
    secret,
    botUserId,
  };
}

/** The room's live (not revoked) webhooks, newest first. */
export async function listIncomingWebhooks(
  db: Kysely<Database>,
  roomId: string,
): Promise<IncomingWebhookInfo[]> {
  const rows = await db
    .selectFrom("incoming_webhook")
    .leftJoin("user", "user.id", "incoming_webhook.created_by")
    .select([
      "incoming_webhook.id",
      "incoming_webhook.name",
      "incoming_webhook.created_at",
      "user.name as created_by_name",
    ])
    .where("incoming_webhook.room_id", "=", roomId)
    .where("incoming_webhook.revoked_at", "is", null)
    .orderBy("incoming_webhook.created_at", "desc")
    .orderBy("incoming_webhook.id", "desc")
    .execute();
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    createdAt: Number(row.created_at),
    createdBy: row.created_by_name ?? null,
  }));
}

/**
 * Revokes a live webhook of `roomId`: its URL answers 404 from now on, its
 * bot leaves the room (its messages stay, by its name), and the
 * `webhook.revoke` audit row commits with it. False when the room has no
 * such live webhook.
 */
export async function revokeIncomingWebhook(
  db: Kysely<Database>,
  input: { roomId: string; id: string; actorId: string },
  now = Date.now(),
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const hook = await trx
      .updateTable("incoming_webhook")
      .set({ revoked_at: now })
      .where("id", "=", input.id)
      .where("room_id", "=", input.roomId)
      .where("revoked_at", "is", null)
      .returning(["bot_user_id", "name"])
      .executeTakeFirst();
    if (!hook) return false;
    await trx
      .deleteFrom("room_member")
      .where("room_id", "=", input.roomId)
      .where("user_id", "=", hook.bot_user_id)
      .execute();
    await writeAudit(
      trx,
      {
        actorId: input.actorId,
        action: "webhook.revoke",
        roomId: input.roomId,
        targetUserId: hook.bot_user_id,
        details: { webhookId: input.id, name: hook.name },
      },
      now,
    );
    return true;
  });
}

/**
 * The live webhook a URL names, or undefined for an unknown or revoked id
 * or a wrong secret (one answer for all three, so the URL leaks nothing).
 * The hashes are compared in constant time.
 */
export async function findLiveWebhook(
  db: Kysely<Database>,
  id: string,
  secret: string,
): Promise<LiveWebhook | undefined> {
  const row = await db
    .selectFrom("incoming_webhook")
    .innerJoin("user", "user.id", "incoming_webhook.bot_user_id")
    .select([
      "incoming_webhook.id",
      "incoming_webhook.room_id",
      "incoming_webhook.name",
      "incoming_webhook.secret_hash",
      "user.id as bot_id",
      "user.name as bot_name",
      "user.handle as bot_handle",
    ])
    .where("incoming_webhook.id", "=", id)
    .where("incoming_webhook.revoked_at", "is", null)
    .executeTakeFirst();
  if (!row) return undefined;
  const want = Buffer.from(row.secret_hash, "hex");
  const got = Buffer.from(hashOf(secret), "hex");
  if (want.length !== got.length || !timingSafeEqual(want, got)) return undefined;
  const bot: WireUser = { id: row.bot_id, name: row.bot_name, bot: true };
  if (row.bot_handle) bot.handle = row.bot_handle;
  return { id: row.id, roomId: row.room_id, name: row.name, bot };
}
