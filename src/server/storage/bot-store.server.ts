import { randomUUID } from "node:crypto";
import { type Kysely, sql } from "kysely";
import type { Scope } from "../../core/scopes";
import { freeHandleFor } from "../auth/handles.server";
import { writeAudit } from "./audit.server";
import type { Database } from "./schema.server";
import { createToken, listTokens, revokeToken, type TokenInfo } from "./token-store.server";

/**
 * Bot accounts (issue 15): users an admin makes in /admin/bots, with
 * user.bot = 1, that own tokens and speak through the API and /_ws. The
 * row is better-auth's table, written here with the columns it needs: no
 * account row (so no password: nobody can sign in as a bot) and an email
 * under `.invalid` (RFC 2606: never routable, so no reset link reaches
 * anyone). Every change writes its audit row in its own transaction.
 */

/** A bot as the console lists it. */
export type BotRow = {
  id: string;
  name: string;
  handle: string | null;
  deactivatedAt: number | null;
  createdBy: string | null;
  tokens: TokenInfo[];
};

/** The address a bot's row carries: unique, and under a domain that never resolves. */
export const botEmail = (id: string) => `bot-${id}@bots.invalid`;

/**
 * Inserts a bot's user row (bot = 1, role member, a free handle from its
 * name, an address under .invalid, no account row: no password, so nobody
 * signs in as it) inside the caller's transaction; answers its handle.
 * Admins' bots, incoming and outgoing webhooks all make theirs here.
 */
export async function insertBotUser(
  trx: Kysely<Database>,
  bot: { id: string; name: string },
  now = Date.now(),
): Promise<string> {
  // better-auth keeps dates as ISO text and booleans as 0/1 on SQLite;
  // PostgreSQL reads the same text parameters as a timestamp and a boolean.
  const at = new Date(now).toISOString();
  const no = 0;
  const handle = await freeHandleFor(trx as unknown as Kysely<never>, bot.name);
  await sql`insert into "user" (id, name, email, "emailVerified", "createdAt", "updatedAt", handle, role, bot)
    values (${bot.id}, ${bot.name}, ${botEmail(bot.id)}, ${no}, ${at}, ${at}, ${handle}, 'member', 1)`.execute(
    trx,
  );
  return handle;
}

/** Makes a bot user with its "bot.create" audit row; answers its id and handle. */
export async function createBot(
  db: Kysely<Database>,
  input: { actorId: string; name: string },
  now = Date.now(),
): Promise<{ id: string; handle: string }> {
  const id = randomUUID();
  return db.transaction().execute(async (trx) => {
    const handle = await insertBotUser(trx, { id, name: input.name }, now);
    await writeAudit(
      trx,
      {
        actorId: input.actorId,
        action: "bot.create",
        targetUserId: id,
        details: { name: input.name },
      },
      now,
    );
    return { id, handle };
  });
}

/** Every bot, by name, with its live tokens and who made it (from the audit log). */
export async function listBots(db: Kysely<Database>): Promise<BotRow[]> {
  const rows = await db
    .selectFrom("user")
    .select([
      "user.id",
      "user.name",
      "user.handle",
      "user.deactivated_at",
      (eb) =>
        eb
          .selectFrom("audit_log")
          .select("audit_log.actor_id")
          .whereRef("audit_log.target_user_id", "=", "user.id")
          .where("audit_log.action", "=", "bot.create")
          .limit(1)
          .as("created_by"),
    ])
    .where("user.bot", "=", 1)
    .orderBy(sql`lower(name)`)
    .orderBy("user.id")
    .execute();
  return Promise.all(
    rows.map(async (row) => ({
      id: row.id,
      name: row.name,
      handle: row.handle,
      deactivatedAt: row.deactivated_at == null ? null : Number(row.deactivated_at),
      createdBy: row.created_by ?? null,
      tokens: await listTokens(db, row.id),
    })),
  );
}

/** Whether this user is a bot (undefined: no such user). */
export async function isBot(db: Kysely<Database>, userId: string): Promise<boolean | undefined> {
  const row = await db.selectFrom("user").select("bot").where("id", "=", userId).executeTakeFirst();
  return row === undefined ? undefined : Number(row.bot) === 1;
}

/** A token for a bot, with its "token.create" audit row, in one transaction. */
export async function createBotToken(
  db: Kysely<Database>,
  input: {
    actorId: string;
    botId: string;
    name: string;
    scopes: readonly Scope[];
    expiresAt: number | null;
  },
  now = Date.now(),
): Promise<{ id: string; token: string }> {
  return db.transaction().execute(async (trx) => {
    const made = await createToken(
      trx,
      { userId: input.botId, name: input.name, scopes: input.scopes, expiresAt: input.expiresAt },
      now,
    );
    await writeAudit(
      trx,
      {
        actorId: input.actorId,
        action: "token.create",
        targetUserId: input.botId,
        details: { tokenId: made.id, name: input.name, scopes: [...input.scopes] },
      },
      now,
    );
    return made;
  });
}

/** Revokes a bot's token with its "token.revoke" audit row; false when it was not live. */
export async function revokeBotToken(
  db: Kysely<Database>,
  input: { actorId: string; botId: string; tokenId: string },
  now = Date.now(),
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    if (!(await revokeToken(trx, input.botId, input.tokenId, now))) return false;
    await writeAudit(
      trx,
      {
        actorId: input.actorId,
        action: "token.revoke",
        targetUserId: input.botId,
        details: { tokenId: input.tokenId },
      },
      now,
    );
    return true;
  });
}
