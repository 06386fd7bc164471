import type { Peer } from "crossws";
import { FrameLimiter, type RateDecision, TokenBucket } from "../../core/rate-limit";
import type { Config } from "../../env";

/** Whose budget of upgrades an attempt spends. */
export type ConnectKey = "user" | "ip";

/** How often idle connect buckets are forgotten (a full bucket is the default). */
const SWEEP_MS = 60_000;
/** Past this many connect buckets, sweep as often as once a second. */
const SWEEP_SIZE = 20_000;

/**
 * Who may open a socket and how fast each may send: connection caps per
 * user and per IP and upgrade budgets per user and per IP (checked at
 * upgrade), and token buckets per connection and per user across
 * connections (checked per frame).
 */
export function createAdmission(limits: Config["limits"], now: () => number = Date.now) {
  const perIp = new Map<string, number>();
  const perUser = new Map<string, number>();
  const userBuckets = new Map<string, TokenBucket>();
  const limiters = new WeakMap<Peer, FrameLimiter>();
  const bucket = () => new TokenBucket(limits.ratePerSecond, limits.rateBurst, now());
  const connects: Record<ConnectKey, Map<string, TokenBucket>> = {
    user: new Map(),
    ip: new Map(),
  };
  const perMinute: Record<ConnectKey, number> = {
    user: limits.connectsPerMinutePerUser,
    ip: limits.connectsPerMinutePerIp,
  };
  let pendingConnects = 0;
  let sweptAt = now();
  const sweep = (at: number) => {
    const size = connects.user.size + connects.ip.size;
    if (at - sweptAt < SWEEP_MS && (size < SWEEP_SIZE || at - sweptAt < 1_000)) return;
    sweptAt = at;
    for (const map of Object.values(connects)) {
      for (const [key, bucket] of map) if (bucket.isFull(at)) map.delete(key);
    }
  };

  const bump = (map: Map<string, number>, key: string, by: number) => {
    const next = (map.get(key) ?? 0) + by;
    if (next <= 0) map.delete(key);
    else map.set(key, next);
  };

  return {
    /** Why an upgrade must be refused with 429, or null when it may proceed. */
    refusal(userId: string, ip: string): string | null {
      if ((perUser.get(userId) ?? 0) >= limits.socketsPerUser)
        return "too many connections for this user";
      if ((perIp.get(ip) ?? 0) >= limits.socketsPerIp)
        return "too many connections from this address";
      return null;
    },

    /**
     * Spends one upgrade from the user's or the IP's budget (a token bucket
     * holding a minute's worth, refilled evenly): 0 when allowed, else the
     * milliseconds until one is free. Connect/close churn costs the server
     * a session lookup and presence frames to others per attempt.
     */
    connectWait(kind: ConnectKey, key: string): number {
      const at = now();
      sweep(at);
      const map = connects[kind];
      let found = map.get(key);
      if (!found) {
        found = new TokenBucket(perMinute[kind] / 60, perMinute[kind], at);
        map.set(key, found);
      }
      return found.take(at);
    },

    /**
     * A place among the connects being set up now (from the upgrade until
     * `ready` is sent), or undefined when PARLEY_MAX_PENDING_CONNECTS are,
     * or when the event loop is more than PARLEY_SHED_LAG_MS behind
     * (`behindMs`, loop-lag.server.ts): the caller then answers 503 at once. Why: in a reconnect storm every
     * client arrives within the backoff window; admitting them all makes
     * each connect wait behind thousands of session lookups and room
     * summaries, clients give up on attempts that have not opened in a few
     * seconds and try again, and the server keeps working for clients that
     * have gone (issue 16: 77,329 attempts for 10,000 clients). A quick 503
     * costs little and sends the client back to its backoff. The release
     * runs once however often it is called.
     */
    enterConnect(behindMs = 0): (() => void) | undefined {
      if (pendingConnects >= limits.pendingConnects || behindMs > limits.shedLagMs)
        return undefined;
      pendingConnects += 1;
      let held = true;
      return () => {
        if (!held) return;
        held = false;
        pendingConnects -= 1;
      };
    },

    /** Connects being set up now (tests, metrics). */
    pendingConnects(): number {
      return pendingConnects;
    },

    /** Connect budgets remembered now (idle ones are forgotten). */
    connectBuckets(): number {
      return connects.user.size + connects.ip.size;
    },

    /**
     * Holds a slot for a socket from its upgrade on (so parallel upgrades
     * count too) and returns its release. The release runs once however
     * often it is called: the caller ties it to the TCP socket's close, so
     * a client that hangs up before the 101, or whose handshake ws refuses,
     * frees its slot as surely as one that opened and closed.
     */
    hold(userId: string, ip: string): () => void {
      bump(perUser, userId, 1);
      bump(perIp, ip, 1);
      let held = true;
      return () => {
        if (!held) return;
        held = false;
        bump(perUser, userId, -1);
        bump(perIp, ip, -1);
        if (!perUser.has(userId)) userBuckets.delete(userId);
      };
    },

    /** Sockets counted now, for tests and metrics. */
    held(): { users: number; ips: number; sockets: number } {
      let sockets = 0;
      for (const count of perUser.values()) sockets += count;
      return { users: perUser.size, ips: perIp.size, sockets };
    },

    /** Admits one frame of the peer's, costing `cost` tokens (replays cost more). */
    admit(peer: Peer, userId: string, cost = 1): RateDecision {
      let limiter = limiters.get(peer);
      if (!limiter) {
        let shared = userBuckets.get(userId);
        if (!shared) {
          shared = bucket();
          userBuckets.set(userId, shared);
        }
        limiter = new FrameLimiter(bucket(), shared);
        limiters.set(peer, limiter);
      }
      return limiter.admit(now(), cost);
    },
  };
}

// Moved to src/server/client-ip.ts (one rule for sign-in limits, socket caps and /metrics).
export { clientIp } from "../client-ip";
