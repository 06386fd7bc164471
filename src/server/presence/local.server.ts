import { randomUUID } from "node:crypto";
import type { PresenceLeases } from "../../ports";

/** Leases shared by the in-process drivers of one group: user -> instance -> expiry. */
export type LocalLeaseBook = Map<string, Map<string, number>>;

/** A fresh lease book; drivers given the same one behave as instances sharing a Redis. */
export function createLocalLeaseBook(): LocalLeaseBook {
  return new Map();
}

/** Latest expiry among the user's leases after dropping the lapsed ones (0 when none). */
function prune(book: LocalLeaseBook, userId: string, now: number): number {
  const leases = book.get(userId);
  if (!leases) return 0;
  let latest = 0;
  for (const [instance, expiresAt] of leases) {
    if (expiresAt <= now) leases.delete(instance);
    else latest = Math.max(latest, expiresAt);
  }
  if (leases.size === 0) book.delete(userId);
  return latest;
}

/**
 * The in-process presence driver: a single instance's default (then its
 * leases are only ever its own), and, with a shared book, the stand-in for
 * Redis in the contract suite.
 */
export function createLocalPresence(book: LocalLeaseBook = createLocalLeaseBook()): PresenceLeases {
  const instance = randomUUID();
  const hold = (userId: string, expiresAt: number) => {
    let leases = book.get(userId);
    if (!leases) {
      leases = new Map();
      book.set(userId, leases);
    }
    leases.set(instance, Math.max(leases.get(instance) ?? 0, expiresAt));
  };
  return {
    async hold(userId, expiresAt) {
      hold(userId, expiresAt);
    },
    async renew(userIds, expiresAt) {
      for (const userId of userIds) hold(userId, expiresAt);
    },
    async release(userId, now) {
      book.get(userId)?.delete(instance);
      return prune(book, userId, now) === 0;
    },
    async onlineAmong(userIds, now) {
      // Reads only: a lapsed user stays in the book until a sweep reports it.
      const live = (userId: string) => {
        for (const expiresAt of book.get(userId)?.values() ?? []) if (expiresAt > now) return true;
        return false;
      };
      return new Set(userIds.filter(live));
    },
    async sweep(now) {
      const lapsed: string[] = [];
      for (const userId of [...book.keys()]) {
        if (prune(book, userId, now) === 0) lapsed.push(userId);
      }
      return lapsed;
    },
    // Leases outlive a closed driver, as they outlive a stopped instance on
    // Redis: they lapse unless the user reconnects somewhere.
    async close() {},
  };
}
