import type { PresenceLeases } from "../../ports";
import type { Logger } from "../log.server";
import { createLocalPresence } from "../presence/local.server";
import { createRedisPresence } from "../presence/redis.server";

/**
 * Key prefix of visibility leases in Redis: apart from presence's
 * (DEFAULT_PRESENCE_PREFIX), so a user online but with every tab hidden
 * is not taken for one who is looking.
 */
export const VISIBILITY_PREFIX = "parley:visibility:";

/**
 * The lease store for visibility (issue 13): the presence drivers reused
 * as a second instance, in Redis under their own prefix when instances
 * share one, else in this process.
 */
export function createVisibilityLeases(redisUrl: string | undefined, log: Logger): PresenceLeases {
  if (!redisUrl) return createLocalPresence();
  return createRedisPresence({
    url: redisUrl,
    prefix: VISIBILITY_PREFIX,
    onError: (error) => log.warn("visibility trouble", { error: String(error) }),
  });
}

type Deps = {
  leases: PresenceLeases;
  /** How long a lease lives without renewal (PARLEY_PRESENCE_TTL_SECONDS, like presence). */
  ttlMs: number;
  log: Logger;
  now?: () => number;
};

/**
 * Which users have a visible tab, on any instance. Each socket reports
 * `visibility {visible}` (on every ready and each visibilitychange); this
 * instance holds a user's lease while one of its sockets of theirs is
 * visible and releases it when the last turns hidden or closes. A timer
 * renews the leases every third of their lifetime, so the visibility of an
 * instance that crashed lapses after the TTL instead of muting that user's
 * notifications for good. A socket that never reported counts as hidden:
 * a notification too many beats one missed.
 */
// S: the socket type (a crossws Peer here); only its identity matters.
export function createVisibilityTracker<S extends object>({
  leases,
  ttlMs,
  log,
  now = Date.now,
}: Deps) {
  /** This instance's visible sockets per user: the truth about local users. */
  const visible = new Map<string, Set<S>>();
  const trouble = (what: string) => (error: unknown) => {
    log.warn("visibility lease call failed", { what, error: String(error) });
  };
  let timer: ReturnType<typeof setInterval> | undefined;

  /** Drops the socket from its user's visible set; true when it was their last here. */
  const forget = (userId: string, socket: S): boolean => {
    const sockets = visible.get(userId);
    if (!sockets?.delete(socket)) return false;
    if (sockets.size > 0) return false;
    visible.delete(userId);
    return true;
  };

  const release = async (userId: string) => {
    await leases.release(userId, now()).catch(trouble("release"));
    // Visible again here while the release was on its way: hold again.
    if (visible.has(userId)) await leases.hold(userId, now() + ttlMs).catch(trouble("hold"));
  };

  const tracker = {
    /** A socket reported its tab visible or hidden. */
    async report(userId: string, socket: S, isVisible: boolean): Promise<void> {
      if (!isVisible) {
        if (forget(userId, socket)) await release(userId);
        return;
      }
      let sockets = visible.get(userId);
      if (!sockets) {
        sockets = new Set();
        visible.set(userId, sockets);
      }
      const first = sockets.size === 0;
      sockets.add(socket);
      if (first) await leases.hold(userId, now() + ttlMs).catch(trouble("hold"));
    },

    /** A socket closed: it stops counting. */
    async closed(userId: string, socket: S): Promise<void> {
      if (forget(userId, socket)) await release(userId);
    },

    /** The users among these with a visible tab on any instance. */
    async visibleAmong(userIds: readonly string[]): Promise<Set<string>> {
      let found: Set<string>;
      try {
        found = await leases.onlineAmong(userIds, now());
      } catch (error) {
        // Redis away: this instance's own view stands in.
        trouble("visibleAmong")(error);
        found = new Set();
      }
      for (const userId of userIds) if (visible.has(userId)) found.add(userId);
      return found;
    },

    /** Renews local visible users' leases and clears lapsed ones (a crashed instance's). */
    async tick(): Promise<void> {
      await leases.renew([...visible.keys()], now() + ttlMs).catch(trouble("renew"));
      const lapsed = await leases.sweep(now()).catch((error) => {
        trouble("sweep")(error);
        return [] as string[];
      });
      // Still visible here after a long pause or an outage: hold again.
      const back = lapsed.filter((userId) => visible.has(userId));
      if (back.length > 0) await leases.renew(back, now() + ttlMs).catch(trouble("renew"));
    },

    /** Renews and sweeps every third of the lease's lifetime, like presence. */
    start(): void {
      timer ??= setInterval(() => void tracker.tick(), Math.max(1_000, Math.floor(ttlMs / 3)));
      timer.unref();
    },

    /** Stops the timer and closes the lease store (its leases lapse unless renewed elsewhere). */
    async stop(): Promise<void> {
      clearInterval(timer);
      timer = undefined;
      await leases.close().catch(trouble("close"));
    },
  };
  return tracker;
}

export type VisibilityTracker<S extends object = object> = ReturnType<
  typeof createVisibilityTracker<S>
>;
