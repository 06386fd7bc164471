import { createHmac, timingSafeEqual } from "node:crypto";
import { type Kysely, sql } from "kysely";
import type { WireUser } from "../../protocol/frames";
import type { Database } from "../storage/schema.server";
import { sqliteHandleOf } from "../storage/sqlite.server";
import { type Auth, type SessionInfo, sessionOf } from "./auth.server";

/** How long a looked-up session answers upgrades without asking the database again. */
export const SESSION_CACHE_MS = 5_000;
/** Most sessions remembered at once; the oldest go first past it. */
const CACHE_SIZE = 50_000;

// One row: the session by its token and its user. Column names are
// better-auth's defaults (Parley configures no renames).
const BY_TOKEN_SQLITE = `select s.token, s.expiresAt as expires_at, u.id, u.name, u.handle, u.bot
  from session s join user u on u.id = s.userId where s.token = ?`;

const USER_SQLITE = "select id, name, handle, bot from user where id = ?";

// bot: user.bot (migration 0020), 1 for a bot account.
type UserRow = { id: string; name: string; handle: string | null; bot?: unknown };
type Row = UserRow & { token: string; expires_at: unknown };

/** What the fast path needs from better-auth's configuration, read once. */
type AuthFacts = {
  cookieName: string;
  secret: string;
  /** Seconds. */
  expiresIn: number;
  /** Seconds. */
  updateAge: number;
  /** False when better-auth is set up in a way only it reads sessions for (cookie cache, secondary storage). */
  fast: boolean;
};

/**
 * The session lookup behind a WebSocket upgrade. better-auth's getSession
 * costs about 1 ms of CPU per call (an async WebCrypto HMAC, its query
 * builder, output filtering with structuredClone), most of an
 * authenticated connect. This one verifies the same signed cookie with a
 * synchronous HMAC and reads session and user in one prepared query; it
 * defers to better-auth for everything but a live session that needs no
 * refresh (an expired row is deleted by better-auth, a session due for its
 * sliding refresh is extended by it), so sessions behave exactly as on any
 * other request.
 *
 * Live sessions are kept for `ttlMs` (reconnects, several tabs): the
 * session part only, the user row is read on every upgrade. A revoked
 * session must not outlive that: `forget` drops a token, and the caller
 * calls it on every sign-out and revocation this instance does or hears of
 * on the relay, so a revoked session is refused on its next upgrade.
 * Refusals are never cached.
 */
export function createSessionLookup(options: {
  auth: Auth;
  /** Without it (test runtimes), every lookup is better-auth's. */
  db?: Kysely<Database>;
  ttlMs?: number;
  now?: () => number;
}) {
  const { auth, db } = options;
  const ttlMs = options.ttlMs ?? SESSION_CACHE_MS;
  const now = options.now ?? Date.now;
  // The session part only (token -> user id, expiry): the user's name and
  // handle are read fresh on every upgrade, so a change shows at once.
  const cache = new Map<string, { userId: string; expiresAt: number; until: number }>();
  let facts: Promise<AuthFacts> | undefined;
  const sqlite = db && sqliteHandleOf(db);

  const readFacts = async (): Promise<AuthFacts> => {
    const context = await auth.$context;
    // Parley sets neither; read loosely so that a config that does is still seen.
    const loose = context.options as {
      session?: { cookieCache?: { enabled?: boolean } };
      secondaryStorage?: unknown;
    };
    return {
      cookieName: context.authCookies.sessionToken.name,
      secret: context.secret,
      expiresIn: context.sessionConfig.expiresIn,
      updateAge: context.sessionConfig.updateAge,
      fast:
        db !== undefined && loose.session?.cookieCache?.enabled !== true && !loose.secondaryStorage,
    };
  };

  // The prepared statements run under Kysely's connection lock, as the
  // group commit's do: a Kysely transaction awaiting between its statements
  // holds it, and a read slipped in there would see its uncommitted rows.
  const onConnection = <T>(read: () => T): Promise<T | undefined> =>
    (db as Kysely<Database>).connection().execute(async () => read());

  const row = async (token: string): Promise<Row | undefined> => {
    if (sqlite) return onConnection(() => sqlite.statements.get(BY_TOKEN_SQLITE).get(token) as Row);
    const { rows } =
      await sql<Row>`select s.token, s."expiresAt" as expires_at, u.id, u.name, u.handle, u.bot
      from "session" s join "user" u on u.id = s."userId" where s.token = ${token}`.execute(
        db as Kysely<Database>,
      );
    return rows[0];
  };

  const userById = async (id: string): Promise<UserRow | undefined> => {
    if (sqlite) return onConnection(() => sqlite.statements.get(USER_SQLITE).get(id) as UserRow);
    const { rows } =
      await sql<UserRow>`select id, name, handle, bot from "user" where id = ${id}`.execute(
        db as Kysely<Database>,
      );
    return rows[0];
  };

  const remember = (token: string, userId: string, expiresAt: number) => {
    const at = now();
    cache.delete(token);
    cache.set(token, { userId, expiresAt, until: at + ttlMs });
    // Entries are in the order they lapse (one TTL for all): the lapsed
    // ones are at the front, so a storm's answers do not linger.
    for (const [key, entry] of cache) {
      if (entry.until > at) break;
      cache.delete(key);
    }
    if (cache.size > CACHE_SIZE) {
      const oldest = cache.keys().next().value;
      if (oldest !== undefined) cache.delete(oldest);
    }
  };

  return {
    /** The session behind these headers, or null: as `sessionOf` answers. */
    async lookup(headers: Headers): Promise<SessionInfo | null> {
      facts ??= readFacts();
      const known = await facts;
      if (!known.fast) return sessionOf(auth, headers);
      const token = signedToken(headers.get("cookie"), known.cookieName, known.secret);
      if (token === null) return null;
      const cached = cache.get(token);
      const at = now();
      if (cached && cached.until > at && cached.expiresAt > at) {
        const user = await userById(cached.userId);
        if (user) return { user: wireUser(user), token, expiresAt: cached.expiresAt };
      }
      if (cached) cache.delete(token);
      const found = await row(token);
      if (!found) return null;
      const expiresAt = new Date(found.expires_at as string | number | Date).getTime();
      // Expired (to be deleted) or due for its refresh: better-auth's own path.
      const refreshAt = expiresAt - known.expiresIn * 1000 + known.updateAge * 1000;
      if (!(expiresAt > at) || refreshAt <= at) return sessionOf(auth, headers);
      remember(token, found.id, expiresAt);
      return { user: wireUser(found), token: found.token, expiresAt };
    },
    /** Drops a session's cached answer (signed out, revoked, its row gone). */
    forget(token: string): void {
      cache.delete(token);
    },
    /** Sessions cached now (tests). */
    get size(): number {
      return cache.size;
    },
  };
}

export type SessionLookup = ReturnType<typeof createSessionLookup>;

/** A user row as frames carry it: the handle left out when there is none, `bot` only for a bot. */
function wireUser({ id, name, handle, bot }: UserRow): WireUser {
  const user: WireUser = handle ? { id, name, handle } : { id, name };
  return Number(bot) === 1 ? { ...user, bot: true } : user;
}

/**
 * The session token in a `Cookie` header when its signature is right
 * (better-call's signed cookie: `value.base64(HMAC-SHA256(secret, value))`,
 * URL-encoded; the first cookie of that name counts), else null.
 */
export function signedToken(header: string | null, name: string, secret: string): string | null {
  if (!header) return null;
  const raw = cookieValue(header, name);
  if (raw === undefined) return null;
  let value: string;
  try {
    value = decodeURIComponent(raw);
  } catch {
    value = raw;
  }
  const dot = value.lastIndexOf(".");
  if (dot < 1) return null;
  const token = value.slice(0, dot);
  const signature = value.slice(dot + 1);
  if (signature.length !== 44 || !signature.endsWith("=")) return null;
  const expected = createHmac("sha256", secret).update(token).digest();
  const given = Buffer.from(signature, "base64");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return token;
}

/** The raw value of the first cookie called `name` in a Cookie header. */
function cookieValue(header: string, name: string): string | undefined {
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq === -1 || part.slice(0, eq).trim() !== name) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2)
      value = value.slice(1, -1);
    return value;
  }
  return undefined;
}
