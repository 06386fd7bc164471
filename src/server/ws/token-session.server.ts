import type { Kysely } from "kysely";
import { scopeAllows } from "../../core/scopes";
import { bearerOf, lookupToken } from "../auth/api-token.server";
import type { SessionInfo } from "../auth/auth.server";
import type { Database } from "../storage/schema.server";
import { TOKEN_SESSION_PREFIX } from "../storage/token-store.server";

/** The expiry a socket of a token that never expires carries (the largest Date). */
export const NEVER_EXPIRES = 8.64e15;

/**
 * The session of an upgrade that sent `Authorization: Bearer <token>`
 * (issue 15: bots on /_ws): the token's user, and `pat:<id>` as the
 * session token, so that the session watch closes the socket when the
 * token is revoked (relayed like a sign-out) or expires, and its sweep
 * asks api_token whether it still lives. Null (401) for a malformed,
 * unknown, revoked or expired token or a deactivated user, all alike;
 * "no_scope" (403) for a token without `read`.
 */
export async function tokenSession(
  db: Kysely<Database> | undefined,
  header: string,
): Promise<SessionInfo | "no_scope" | null> {
  const token = bearerOf(header);
  if (!token || !db) return null;
  const grant = await lookupToken(db, token);
  if (!grant) return null;
  if (!scopeAllows(grant.scopes, "read")) return "no_scope";
  return {
    user: grant.user,
    token: `${TOKEN_SESSION_PREFIX}${grant.id}`,
    expiresAt: grant.expiresAt ?? NEVER_EXPIRES,
  };
}

/**
 * Which of these socket session tokens are live: `pat:` ones by their
 * api_token row, the rest by `sessionRows` (better-auth's session table).
 * The session watch's sweep asks this for every watched socket.
 */
export async function liveSocketTokens(
  tokens: string[],
  sessionRows: (tokens: string[]) => Promise<Set<string>>,
  tokenRows: (ids: string[]) => Promise<Set<string>>,
): Promise<Set<string>> {
  const ids: string[] = [];
  const sessions: string[] = [];
  for (const token of tokens) {
    if (token.startsWith(TOKEN_SESSION_PREFIX)) ids.push(token.slice(TOKEN_SESSION_PREFIX.length));
    else sessions.push(token);
  }
  const [liveSessions, liveIds] = await Promise.all([
    sessions.length > 0 ? sessionRows(sessions) : new Set<string>(),
    ids.length > 0 ? tokenRows(ids) : new Set<string>(),
  ]);
  for (const id of liveIds) liveSessions.add(`${TOKEN_SESSION_PREFIX}${id}`);
  return liveSessions;
}
