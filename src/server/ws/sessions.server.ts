import type { Peer } from "crossws";

/** How often expiries are checked: a socket outlives its session by at most this. */
export const SESSION_SWEEP_MS = 30_000;

/**
 * Ends sockets whose session ends: at the session's expiry (checked by one
 * sweep for all sockets, not a timer per socket, which cost every idle
 * connection a Timeout, a closure and often a timer list of its own), and
 * at once when it is signed out (revoked). Peers are indexed by session token.
 */
export function createSessionWatch(
  closePeer: (peer: Peer, code: number, reason: string) => void,
  sweepMs = SESSION_SWEEP_MS,
) {
  const byToken = new Map<string, { peers: Set<Peer>; expiresAt: number }>();
  let sweeper: ReturnType<typeof setInterval> | undefined;

  const sweep = () => {
    const now = Date.now();
    for (const { peers, expiresAt } of byToken.values()) {
      if (expiresAt <= now) for (const peer of peers) closePeer(peer, 4001, "session expired");
    }
  };

  return {
    watch(peer: Peer, token: string, expiresAt: number) {
      let session = byToken.get(token);
      if (!session) {
        session = { peers: new Set(), expiresAt };
        byToken.set(token, session);
      }
      session.peers.add(peer);
      // A refreshed session's later expiry wins (every socket on it shares it).
      session.expiresAt = Math.max(session.expiresAt, expiresAt);
      if (expiresAt <= Date.now()) queueMicrotask(() => closePeer(peer, 4001, "session expired"));
      if (!sweeper) {
        sweeper = setInterval(sweep, sweepMs);
        sweeper.unref?.();
      }
    },
    forget(peer: Peer, token: string) {
      const session = byToken.get(token);
      session?.peers.delete(peer);
      if (session?.peers.size === 0) byToken.delete(token);
    },
    /** Closes every socket of a signed-out session. */
    revoke(token: string) {
      for (const peer of byToken.get(token)?.peers ?? []) closePeer(peer, 4001, "signed out");
    },
  };
}
