import { TokenBucket } from "../../core/rate-limit";

/**
 * Per-user limits on server functions and socket actions (issue 18, F-10):
 * one token bucket per (action, user), kept in this process's memory. With
 * several instances each keeps its own counters, so a user spreading calls
 * over N instances gets up to N times the limit (documented in
 * docs/SECURITY.md); the hourly limits still bound what one burst can do.
 */
export type LimitAction =
  /** createRoomFn: rooms created. */
  | "room"
  /** openDmFn: direct-message rooms opened for the first time. */
  | "dm"
  /** the `invite` frame: people added to private rooms. */
  | "invite"
  /** searchFn: full-text searches. */
  | "search"
  /** searchUsersFn: the invite picker's look-ups. */
  | "user_search"
  /** historyFn and openRoomFn: pages of messages. */
  | "page"
  /** joinRoomFn, blockUserFn, unblockUserFn, blockedUsersFn, saveProfileFn. */
  | "membership"
  /** getSessionFn (route guards, every navigation). */
  | "session"
  /** profileCardFn and avatarsFn (issue 14): cards opened, avatars looked up. */
  | "profile"
  /** Token and bot changes (issue 15): tokens made or revoked, bots made. */
  | "token";

export type ActionLimitsConfig = {
  roomsPerHour: number;
  dmsPerHour: number;
  invitesPerHour: number;
  searchesPerSecond: number;
  pagesPerSecond: number;
};

type Rule = { perSecond: number; burst: number; what: string };

/** A bucket per user and action; `take` answers 0 or the wait in ms. */
export type ServerLimits = {
  take(action: LimitAction, userId: string): number;
  /** The refusal people read: "Too many new rooms: try again in 3 min." */
  describe(action: LimitAction, retryAfterMs: number): string;
};

const HOUR = 3600;

function rules(config: ActionLimitsConfig): Record<LimitAction, Rule> {
  const hourly = (count: number, what: string): Rule => ({
    perSecond: count / HOUR,
    burst: count,
    what,
  });
  // Per-second limits allow a burst of three seconds' worth (typing in the
  // picker, a page opening with its history).
  const perSecond = (count: number, what: string): Rule => ({
    perSecond: count,
    burst: Math.max(1, count * 3),
    what,
  });
  return {
    room: hourly(config.roomsPerHour, "Too many new rooms"),
    dm: hourly(config.dmsPerHour, "Too many new direct messages"),
    invite: hourly(config.invitesPerHour, "Too many invites"),
    search: perSecond(config.searchesPerSecond, "Too many searches"),
    user_search: perSecond(config.searchesPerSecond, "Too many look-ups"),
    page: perSecond(config.pagesPerSecond, "Too many pages at once"),
    membership: hourly(120, "Too many joins and blocks"),
    session: perSecond(20, "Too many requests"),
    profile: perSecond(10, "Too many profile look-ups"),
    token: hourly(60, "Too many token changes"),
  };
}

/** "3 s", "4 min", "2 h": how long until the next try can work. */
export function waitText(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 120) return `${minutes} min`;
  return `${Math.ceil(minutes / 60)} h`;
}

/** The counters of one process; `now` is the clock (ms). */
export function createServerLimits(
  config: ActionLimitsConfig,
  now: () => number = Date.now,
): ServerLimits {
  const table = rules(config);
  const buckets = new Map<string, { bucket: TokenBucket; used: number; fullAfterMs: number }>();
  let takes = 0;

  // A bucket idle long enough to be full again is the same as none: drop
  // those now and then, so memory follows active users, not all users.
  const sweep = (at: number) => {
    for (const [key, entry] of buckets) {
      if (at - entry.used > entry.fullAfterMs) buckets.delete(key);
    }
  };

  return {
    take(action, userId) {
      const at = now();
      if (++takes % 1024 === 0) sweep(at);
      const key = `${action}\u0000${userId}`;
      let entry = buckets.get(key);
      if (!entry) {
        const rule = table[action];
        entry = {
          bucket: new TokenBucket(rule.perSecond, rule.burst, at),
          used: at,
          fullAfterMs: (rule.burst / rule.perSecond) * 1000,
        };
        buckets.set(key, entry);
      }
      entry.used = at;
      return entry.bucket.take(at);
    },
    describe(action, retryAfterMs) {
      return `${table[action].what}: try again in ${waitText(retryAfterMs)}.`;
    },
  };
}
