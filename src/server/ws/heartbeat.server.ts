import type { Peer } from "crossws";

/** Ping every 25 s (PARLEY_HEARTBEAT_SECONDS); a peer that has not ponged for two intervals is cut. */
export const HEARTBEAT_MS = 25_000;

/**
 * Tracks when each peer last answered a ping (a pong) and terminates the
 * silent ones. Only pongs count: a client that sends frames but never reads
 * (and so never sees our pings) must not stay up on its own frames. Browsers
 * answer pings by themselves. The timer starts with the first `start` (the
 * interval comes from the config, which loads after the hooks are built).
 */
export function startHeartbeat(intervalMs?: number) {
  const lastSeen = new Map<Peer, number>();
  let timer: ReturnType<typeof setInterval> | undefined;
  const start = (every = HEARTBEAT_MS) => {
    if (timer) return;
    timer = setInterval(() => {
      const cutoff = Date.now() - 2 * every;
      for (const [peer, seen] of lastSeen) {
        if (seen < cutoff) {
          lastSeen.delete(peer);
          peer.terminate();
        } else {
          peer.ping();
        }
      }
    }, every);
    timer.unref();
  };
  if (intervalMs !== undefined) start(intervalMs);
  return {
    /** Starts pinging every `every` ms (once; later calls change nothing). */
    start,
    track: (peer: Peer) => lastSeen.set(peer, Date.now()),
    /** A pong arrived. */
    alive: (peer: Peer) => {
      if (lastSeen.has(peer)) lastSeen.set(peer, Date.now());
    },
    untrack: (peer: Peer) => lastSeen.delete(peer),
    /** Stops pinging and forgets every peer. */
    stop: () => {
      clearInterval(timer);
      timer = undefined;
      lastSeen.clear();
    },
  };
}
