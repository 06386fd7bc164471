import type { Peer } from "crossws";

/** Ping every 25 s; a peer silent for two intervals is cut, which ends its presence. */
export const HEARTBEAT_MS = 25_000;

/** Tracks when each peer was last heard from and terminates the silent ones. */
export function startHeartbeat(intervalMs = HEARTBEAT_MS) {
  const lastSeen = new Map<Peer, number>();
  const timer = setInterval(() => {
    const cutoff = Date.now() - 2 * intervalMs;
    for (const [peer, seen] of lastSeen) {
      if (seen < cutoff) {
        lastSeen.delete(peer);
        peer.terminate();
      } else {
        peer.ping();
      }
    }
  }, intervalMs);
  timer.unref();
  return {
    track: (peer: Peer) => lastSeen.set(peer, Date.now()),
    alive: (peer: Peer) => {
      if (lastSeen.has(peer)) lastSeen.set(peer, Date.now());
    },
    untrack: (peer: Peer) => lastSeen.delete(peer),
  };
}
