import type { Peer } from "crossws";

/** The longest timer Node accepts; later expiries are re-armed when it fires. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Ends sockets whose session ends: at the session's expiry, and at once when
 * it is signed out (revoked). Peers are indexed by session token.
 */
export function createSessionWatch(closePeer: (peer: Peer, code: number, reason: string) => void) {
  const byToken = new Map<string, Set<Peer>>();
  const timers = new WeakMap<Peer, ReturnType<typeof setTimeout>>();

  const arm = (peer: Peer, expiresAt: number) => {
    const wait = expiresAt - Date.now();
    const timer = setTimeout(
      () => (wait > MAX_TIMER_MS ? arm(peer, expiresAt) : closePeer(peer, 4001, "session expired")),
      Math.max(0, Math.min(wait, MAX_TIMER_MS)),
    );
    timer.unref?.();
    timers.set(peer, timer);
  };

  return {
    watch(peer: Peer, token: string, expiresAt: number) {
      let peers = byToken.get(token);
      if (!peers) {
        peers = new Set();
        byToken.set(token, peers);
      }
      peers.add(peer);
      arm(peer, expiresAt);
    },
    forget(peer: Peer, token: string) {
      clearTimeout(timers.get(peer));
      const peers = byToken.get(token);
      peers?.delete(peer);
      if (peers?.size === 0) byToken.delete(token);
    },
    /** Closes every socket of a signed-out session. */
    revoke(token: string) {
      for (const peer of byToken.get(token) ?? []) closePeer(peer, 4001, "signed out");
    },
  };
}
