import type { Kysely } from "kysely";
import { parseScopes, type Scope } from "../../core/scopes";
import { hashToken, newToken } from "../auth/api-token.server";
import type { Database } from "./schema.server";

/**
 * Personal access tokens (issue 15, migration 0020): made, listed and
 * revoked by their owner (/settings/tokens) or, for a bot's tokens, by an
 * admin. The token itself is answered once, by `createToken`; afterwards
 * only its name, scopes and dates are readable. Lookup by bearer is
 * auth/api-token.server.ts `lookupToken`.
 */
export type NewToken = {
  userId: string;
  name: string;
  scopes: readonly Scope[];
  /** ms since the epoch, or null for a token that never expires. */
  expiresAt: number | null;
};

/** A token as its owner sees it in the list (never the secret). */
export type TokenInfo = {
  id: string;
  name: string;
  scopes: Scope[];
  createdAt: number;
  expiresAt: number | null;
  lastUsedAt: number | null;
};

/** Stores a new token; answers its id and the token to show once. */
export async function createToken(
  db: Kysely<Database>,
  input: NewToken,
  now = Date.now(),
): Promise<{ id: string; token: string }> {
  const made = newToken();
  await db
    .insertInto("api_token")
    .values({
      id: made.id,
      user_id: input.userId,
      name: input.name,
      token_hash: hashToken(made.token),
      scopes: [...new Set(input.scopes)].join(","),
      created_at: now,
      expires_at: input.expiresAt,
      last_used_at: null,
      revoked_at: null,
    })
    .execute();
  return made;
}

/** The user's tokens that are not revoked, newest first (expired ones too, marked by their date). */
export async function listTokens(db: Kysely<Database>, userId: string): Promise<TokenInfo[]> {
  const rows = await db
    .selectFrom("api_token")
    .select(["id", "name", "scopes", "created_at", "expires_at", "last_used_at"])
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null)
    .orderBy("created_at", "desc")
    .orderBy("id")
    .execute();
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    scopes: parseScopes(row.scopes),
    createdAt: Number(row.created_at),
    expiresAt: row.expires_at === null ? null : Number(row.expires_at),
    lastUsedAt: row.last_used_at === null ? null : Number(row.last_used_at),
  }));
}

/**
 * Revokes one of the user's tokens; false when it is not theirs or already
 * revoked. The caller closes its sockets (session `pat:<id>`) on every
 * instance.
 */
export async function revokeToken(
  db: Kysely<Database>,
  userId: string,
  id: string,
  now = Date.now(),
): Promise<boolean> {
  const result = await db
    .updateTable("api_token")
    .set({ revoked_at: now })
    .where("id", "=", id)
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** The prefix of a socket's session when it was opened with a token (`pat:<id>`). */
export const TOKEN_SESSION_PREFIX = "pat:";

/**
 * Which of these token ids may still hold a socket: not revoked, not
 * expired, their user not deactivated. The session watch's sweep asks
 * this for every `pat:` socket, as it asks the session table for the rest.
 */
export async function liveTokenIds(
  db: Kysely<Database>,
  ids: readonly string[],
  now = Date.now(),
): Promise<Set<string>> {
  const live = new Set<string>();
  for (let at = 0; at < ids.length; at += 5_000) {
    const batch = ids.slice(at, at + 5_000);
    const rows = await db
      .selectFrom("api_token as t")
      .innerJoin("user as u", "u.id", "t.user_id")
      .select("t.id")
      .where("t.id", "in", batch)
      .where("t.revoked_at", "is", null)
      .where((eb) => eb.or([eb("t.expires_at", "is", null), eb("t.expires_at", ">", now)]))
      .where("u.deactivated_at", "is", null)
      .execute();
    for (const row of rows) live.add(row.id);
  }
  return live;
}
