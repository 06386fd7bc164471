import type { Peer } from "crossws";
import { liveSessionTokens } from "../auth/auth.server";
import type { Runtime } from "../runtime.server";
import { liveTokenIds } from "../storage/token-store.server";
import { liveSocketTokens } from "./token-session.server";

/** How often expiries are checked by default: a socket outlives its session by at most this. */
export const SESSION_SWEEP_MS = 30_000;

/** Where the watch learns its sweep interval and which sessions still exist. */
export type SessionSource = {
  sweepMs: number | (() => Promise<number>);
  /** Which of these tokens still have a session row; absent: expiry only. */
  liveTokens?: (tokens: string[]) => Promise<Set<string>>;
  /**
   * Told of every session found ended (revoked, signed out, row gone,
   * expired), so that a cached session lookup forgets it at once.
   */
  onEnded?: (token: string) => void;
};

/**
 * How long a revoked token is remembered: a socket whose upgrade read the
 * session just before the revocation and opens just after it is closed at
 * once rather than at the next sweep. Longer than any upgrade takes.
 */
const REVOKED_MEMORY_MS = 60_000;

/** The runtime's sessions: PARLEY_SESSION_SWEEP_SECONDS, and the session table. */
export function sessionsOf(getRuntime: () => Promise<Runtime>): SessionSource {
  return {
    sweepMs: async () => (await getRuntime()).config.sessionSweepMs,
    liveTokens: async (tokens) => {
      const runtime = await getRuntime();
      return liveSocketTokens(
        tokens,
        (rest) => liveSessionTokens(runtime.auth, rest),
        (ids) => (runtime.db ? liveTokenIds(runtime.db, ids) : Promise.resolve(new Set())),
      );
    },
  };
}

/**
 * Ends sockets whose session ends: at the session's expiry and when its
 * row is gone from the database (deleted by hand, by another instance, by
 * any revocation this process did not see), both checked by one sweep for
 * all sockets (one query for every watched token), not a timer per socket,
 * which cost every idle connection a Timeout, a closure and often a timer
 * list of its own; and at once when it is signed out or revoked through
 * /api/auth. Peers are indexed by session token.
 */
export function createSessionWatch(
  closePeer: (peer: Peer, code: number, reason: string) => void,
  source: number | SessionSource = SESSION_SWEEP_MS,
) {
  const { sweepMs, liveTokens, onEnded } =
    typeof source === "number" ? { sweepMs: source, onEnded: undefined } : source;
  const byToken = new Map<string, { peers: Set<Peer>; expiresAt: number }>();
  // Revoked tokens -> when, and the close a late socket of it gets: see REVOKED_MEMORY_MS.
  const revoked = new Map<string, { at: number; code: number; reason: string }>();
  let sweeper: ReturnType<typeof setInterval> | "starting" | undefined;
  let checking = false;
  let stopped = false;

  const closeAll = (token: string, reason: string, code = 4001) => {
    onEnded?.(token);
    for (const peer of byToken.get(token)?.peers ?? []) closePeer(peer, code, reason);
  };

  const checkRows = async () => {
    if (!liveTokens || checking || byToken.size === 0) return;
    checking = true;
    try {
      const tokens = [...byToken.keys()];
      const live = await liveTokens(tokens);
      for (const token of tokens) if (!live.has(token)) closeAll(token, "session ended");
    } catch {
      // Database unreachable: the next sweep asks again.
    } finally {
      checking = false;
    }
  };

  const pruneRevoked = (now: number) => {
    for (const [token, { at }] of revoked) if (now - at > REVOKED_MEMORY_MS) revoked.delete(token);
  };

  const sweep = () => {
    const now = Date.now();
    pruneRevoked(now);
    for (const [token, { expiresAt }] of byToken) {
      if (expiresAt <= now) closeAll(token, "session expired");
    }
    void checkRows();
  };

  const startSweeper = (ms: number) => {
    if (stopped) return;
    const timer = setInterval(sweep, ms);
    timer.unref?.();
    sweeper = timer;
  };

  return {
    watch(peer: Peer, token: string, expiresAt: number) {
      let session = byToken.get(token);
      if (!session) {
        session = { peers: new Set(), expiresAt };
        byToken.set(token, session);
      }
      session.peers.add(peer);
      const gone = revoked.get(token);
      if (gone) {
        queueMicrotask(() => closePeer(peer, gone.code, gone.reason));
        return;
      }
      // A refreshed session's later expiry wins (every socket on it shares it).
      session.expiresAt = Math.max(session.expiresAt, expiresAt);
      if (expiresAt <= Date.now()) queueMicrotask(() => closePeer(peer, 4001, "session expired"));
      if (!sweeper && !stopped) {
        if (typeof sweepMs === "number") startSweeper(sweepMs);
        else {
          sweeper = "starting";
          sweepMs().then(startSweeper, () => startSweeper(SESSION_SWEEP_MS));
        }
      }
    },
    forget(peer: Peer, token: string) {
      const session = byToken.get(token);
      session?.peers.delete(peer);
      if (session?.peers.size === 0) byToken.delete(token);
    },
    /**
     * Closes every socket of a signed-out (or revoked) session: 4001, or
     * 4003 for a deactivated account (issue 14).
     */
    revoke(token: string, code = 4001, reason = "signed out") {
      // Pruned here too: a process with no socket has no sweeper running.
      if (revoked.size > 1_000) pruneRevoked(Date.now());
      revoked.set(token, { at: Date.now(), code, reason });
      closeAll(token, reason, code);
    },
    /** Stops the sweeper (for good: a stopped watch starts no timer). */
    stop() {
      stopped = true;
      if (sweeper !== "starting") clearInterval(sweeper);
      sweeper = undefined;
    },
    /** One sweep now (tests): expiries, then the session rows. */
    sweepNow: async () => {
      sweep();
      await checkRows();
    },
  };
}

/** What closes on deactivation: the session watch, and the user's open sockets. */
type Deactivation = {
  sessions: Pick<ReturnType<typeof createSessionWatch>, "revoke">;
  online: { socketsOf(userId: string): Iterable<Peer> };
};

/** The close code and reason a deactivated account's sockets get (the client signs out). */
export const DEACTIVATED_CLOSE = { code: 4003, reason: "account deactivated" } as const;

/**
 * A deactivated user (issue 14): every local socket of theirs closes with
 * 4003, and their ended sessions are remembered like revoked ones, so a
 * socket whose upgrade raced the deactivation closes the same way.
 */
export function closeDeactivated(deps: Deactivation, userId: string, tokens: string[]): void {
  const { code, reason } = DEACTIVATED_CLOSE;
  for (const token of tokens) deps.sessions.revoke(token, code, reason);
  for (const peer of [...deps.online.socketsOf(userId)]) peer.close(code, reason);
}
