import type { Peer } from "crossws";
import type { UserSockets } from "../../core/presence";
import type { PresenceLeases } from "../../ports";
import type { Logger } from "../log.server";

type Deps = {
  /** This instance's sockets per user: the truth about local users. */
  online: UserSockets<Peer>;
  leases: PresenceLeases;
  ttlMs: number;
  log: Logger;
  /** Users whose every lease lapsed (their instance died): to be announced offline. */
  onLapsed: (userIds: string[]) => void;
  now?: () => number;
};

/**
 * Presence across instances. Local sockets decide when this instance holds
 * or releases a user's lease; a timer renews the leases of every local user
 * and sweeps lapsed ones. When the lease store (Redis) is unreachable, this
 * instance's own view stands in, and the next renewal repairs the rest.
 */
export function createPresenceTracker({
  online,
  leases,
  ttlMs,
  log,
  onLapsed,
  now = Date.now,
}: Deps) {
  const trouble = (what: string) => (error: unknown) => {
    log.warn("presence lease call failed", { what, error: String(error) });
  };
  let timer: ReturnType<typeof setInterval> | undefined;

  const tracker = {
    /** The user's first socket on this instance opened. */
    async arrived(userId: string): Promise<void> {
      await leases.hold(userId, now() + ttlMs).catch(trouble("hold"));
    },

    /** The user's last socket on this instance closed; true when they are offline everywhere. */
    async departed(userId: string): Promise<boolean> {
      let offline = true;
      try {
        offline = await leases.release(userId, now());
      } catch (error) {
        trouble("release")(error);
      }
      // They came back here while the release was on its way: hold again.
      if (online.isOnline(userId)) {
        await tracker.arrived(userId);
        return false;
      }
      return offline;
    },

    /** The users among these online on any instance. */
    async onlineAmong(userIds: readonly string[]): Promise<Set<string>> {
      let found: Set<string>;
      try {
        found = await leases.onlineAmong(userIds, now());
      } catch (error) {
        trouble("onlineAmong")(error);
        found = new Set();
      }
      for (const userId of userIds) if (online.isOnline(userId)) found.add(userId);
      return found;
    },

    /** Renews local users' leases and reports users whose instance stopped renewing. */
    async tick(): Promise<void> {
      await leases.renew([...online.users()], now() + ttlMs).catch(trouble("renew"));
      let lapsed: string[] = [];
      try {
        lapsed = await leases.sweep(now());
      } catch (error) {
        trouble("sweep")(error);
      }
      // A lease of a user still connected here lapsed (a long pause, an
      // outage): they are online, so hold again rather than announce.
      const gone = lapsed.filter((userId) => !online.isOnline(userId));
      if (gone.length < lapsed.length) {
        const back = lapsed.filter((userId) => online.isOnline(userId));
        await leases.renew(back, now() + ttlMs).catch(trouble("renew"));
      }
      if (gone.length > 0) onLapsed(gone);
    },

    /** Renews and sweeps every third of the lease's lifetime. */
    start(): void {
      timer ??= setInterval(() => void tracker.tick(), Math.max(1_000, Math.floor(ttlMs / 3)));
      timer.unref();
    },

    stop(): void {
      clearInterval(timer);
      timer = undefined;
    },
  };
  return tracker;
}

export type PresenceTracker = ReturnType<typeof createPresenceTracker>;
