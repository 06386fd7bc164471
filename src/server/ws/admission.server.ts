import type { Peer } from "crossws";
import { FrameLimiter, type RateDecision, TokenBucket } from "../../core/rate-limit";
import type { Config } from "../../env";

/**
 * Who may open a socket and how fast each may send: connection caps per
 * user and per IP (checked at upgrade), and token buckets per connection and
 * per user across connections (checked per frame).
 */
export function createAdmission(limits: Config["limits"], now: () => number = Date.now) {
  const perIp = new Map<string, number>();
  const perUser = new Map<string, number>();
  const userBuckets = new Map<string, TokenBucket>();
  const limiters = new WeakMap<Peer, FrameLimiter>();
  const bucket = () => new TokenBucket(limits.ratePerSecond, limits.rateBurst, now());

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

    /** Counts a socket from its upgrade on (so parallel upgrades count too). */
    opened(userId: string, ip: string) {
      bump(perUser, userId, 1);
      bump(perIp, ip, 1);
    },

    closed(userId: string, ip: string) {
      bump(perUser, userId, -1);
      bump(perIp, ip, -1);
      if (!perUser.has(userId)) userBuckets.delete(userId);
    },

    /** Admits one frame of the peer's. */
    admit(peer: Peer, userId: string): RateDecision {
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
      return limiter.admit(now());
    },
  };
}

// Moved to src/server/client-ip.ts (one rule for sign-in limits, socket caps and /metrics).
export { clientIp } from "../client-ip";
