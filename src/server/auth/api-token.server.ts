import { createHash, randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import { parseScopes, type Scope } from "../../core/scopes";
import type { WireUser } from "../../protocol/frames";
import type { Database } from "../storage/schema.server";

/**
 * Personal access tokens (issue 15). A token is `pat_<id>_<secret>`: the id
 * finds the row without a scan, the secret is 32 random bytes in base64url.
 * Only the SHA-256 of the whole token is stored (api_token.token_hash), so
 * a leaked database gives no usable token; a fast hash is enough for 256
 * random bits (no dictionary to guess from).
 */
export const TOKEN_PREFIX = "pat_";

/** A new token's id and the token to show once. */
export function newToken(): { id: string; token: string } {
  const id = randomBytes(9).toString("base64url");
  return { id, token: `${TOKEN_PREFIX}${id}_${randomBytes(32).toString("base64url")}` };
}

/** What is stored for a token: the hex SHA-256 of the whole string. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** The id part of a well-formed token, or undefined for anything else. */
export function tokenId(token: string): string | undefined {
  const match = /^pat_([A-Za-z0-9_-]{12})_[A-Za-z0-9_-]{43}$/.exec(token);
  return match?.[1];
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerOf(header: string | null | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return match?.[1];
}

/** A live token: whose it is and what it may do. */
export type TokenGrant = {
  /** api_token.id: sockets opened with it carry `pat:<id>` as their session. */
  id: string;
  user: WireUser;
  scopes: Scope[];
  /** ms; null for a token that does not expire. */
  expiresAt: number | null;
};

/** last_used_at is written at most this often per token (not once per request). */
const LAST_USED_EVERY_MS = 60_000;

/**
 * The grant of a bearer token, or undefined when it is malformed, unknown,
 * revoked, expired or its user is deactivated: callers answer all of these
 * with the same 401, so a probe learns nothing.
 */
export async function lookupToken(
  db: Kysely<Database>,
  token: string,
  now: number = Date.now(),
): Promise<TokenGrant | undefined> {
  const id = tokenId(token);
  if (!id) return undefined;
  const row = await db
    .selectFrom("api_token as t")
    .innerJoin("user as u", "u.id", "t.user_id")
    .select([
      "t.id",
      "t.token_hash",
      "t.scopes",
      "t.expires_at",
      "t.revoked_at",
      "t.last_used_at",
      "u.id as user_id",
      "u.name",
      "u.handle",
      "u.bot",
      "u.deactivated_at",
    ])
    .where("t.id", "=", id)
    .executeTakeFirst();
  if (!row || row.token_hash !== hashToken(token)) return undefined;
  if (row.revoked_at !== null || row.deactivated_at != null) return undefined;
  const expiresAt = row.expires_at === null ? null : Number(row.expires_at);
  if (expiresAt !== null && expiresAt <= now) return undefined;
  if (row.last_used_at === null || now - Number(row.last_used_at) > LAST_USED_EVERY_MS) {
    await db.updateTable("api_token").set({ last_used_at: now }).where("id", "=", id).execute();
  }
  return {
    id: row.id,
    user: {
      id: row.user_id,
      name: row.name,
      ...(row.handle && { handle: row.handle }),
      ...(Number(row.bot) === 1 && { bot: true as const }),
    },
    scopes: parseScopes(row.scopes),
    expiresAt,
  };
}
