import type { Peer } from "crossws";
import type { Hub } from "../../core/hub";
import type { UserSockets } from "../../core/presence";
import { FOLLOWED_IN_READY, PROTOCOL_VERSION } from "../../protocol/frames";
import type { Notifier } from "../notify/notifier.server";
import { decodeRelay, type RelayMessage, routeRelay } from "../relay/messages.server";
import type { Runtime } from "../runtime.server";
import type { EffectRunner } from "./effects.server";
import type { PresenceTracker } from "./presence.server";

type Presence = Extract<RelayMessage, { type: "presence" }>;

type Deps = {
  runner: EffectRunner;
  hub: Hub<Peer>;
  online: UserSockets<Peer>;
  presence: PresenceTracker;
  /** Closes every local socket of a signed-out session. */
  revoke: (token: string) => void;
  /** Closes every local socket of a deactivated user (4003) and forgets these sessions. */
  deactivate: (userId: string, tokens: string[]) => void;
  /** Notifications: a read made on another instance withdraws what this one pushed. */
  notifier?: Pick<Notifier, "take">;
};

/**
 * The room and seq of a relayed `read` frame (a user's read marker moved on
 * another instance), or undefined for any other user frame. Frames are
 * encoded with `type` first, so other frames cost a prefix check only.
 */
export function relayedRead(data: string): { roomId: string; seq: number } | undefined {
  if (!data.startsWith('{"type":"read"')) return undefined;
  try {
    const frame = JSON.parse(data) as { roomId?: unknown; seq?: unknown };
    if (typeof frame.roomId !== "string" || !Number.isInteger(frame.seq)) return undefined;
    return { roomId: frame.roomId, seq: frame.seq as number };
  } catch {
    return undefined;
  }
}

/**
 * What ties one instance's sockets to the others': a sign-out (the one
 * server event) applies here and goes out on the relay; what other
 * instances publish arrives here, decoded and routed by type, and reaches
 * the local sockets it concerns; after a relay outage every local socket
 * is brought back in step from the database.
 */
export function linkInstance(runtime: Runtime, deps: Deps) {
  const { runner, hub, online, presence, revoke, deactivate, notifier } = deps;
  const { relay, storage, log } = runtime;
  const failed = (what: string) => (error: unknown) =>
    log.error("cluster event failed", { what, error: String(error) });
  const { relayOut } = runner;

  /** Users whose instance died: tell their rooms they are offline. */
  const lapsed = async (userIds: string[]) => {
    for (const userId of userIds) {
      const user = await storage.users.findById(userId);
      if (!user) continue;
      const rooms = await storage.rooms.summariesOf(userId);
      runner.announceUser(
        user,
        rooms.map((room) => room.id),
        false,
      );
    }
  };

  /**
   * Relay frames may have been lost: re-read each local user's rooms, put
   * their sockets in exactly those topics, and send a fresh `ready`, on
   * which clients resume every room by seq and revision (messages, edits,
   * member lists with presence) and resend unacknowledged messages.
   */
  const resync = async () => {
    await presence.tick();
    const users = [...online.users()];
    for (const userId of users) {
      const rooms = await storage.rooms.summariesOf(userId);
      const threads = await storage.threads.followedStates(userId, FOLLOWED_IN_READY);
      for (const socket of online.socketsOf(userId)) {
        hub.drop(socket);
        for (const room of rooms) hub.subscribe(socket, room.id);
        const { user } = socket.context;
        runner.send(socket, { type: "ready", v: PROTOCOL_VERSION, user, rooms, threads });
      }
    }
    log.info("resynced sockets after a relay outage", { users: users.length });
  };

  /**
   * Presence is announced by each instance and not ordered across them: an
   * "offline" from one (a release racing a reconnect elsewhere, or a sweep
   * of this instance's leases while it was frozen) can overtake the truth.
   * An instance that still has sockets of the user answers it with "online".
   */
  const contradict = ({ user, online: isOnline, rooms }: Presence) => {
    if (isOnline || !online.isOnline(user.id)) return;
    void presence.arrived(user.id);
    runner.announceUser(user, rooms, true);
  };

  /** Routes a message another instance published (a malformed one is logged and dropped). */
  const receive = (key: string, data: string) => {
    const decoded = decodeRelay(key, data);
    if (!decoded.ok) {
      log.warn("relay message dropped", { reason: decoded.reason, key: key.slice(0, 64) });
      return;
    }
    routeRelay(decoded.message, {
      room: ({ roomId, data }) => runner.roomFromRelay(roomId, data),
      user: ({ userId, data }) => {
        runner.toUser(userId, data);
        // Web Push closes are per instance (the one that pushed knows the
        // tags), so a read elsewhere must reach this instance's channels too.
        const read = notifier && relayedRead(data);
        if (read) notifier.take({ kind: "notify", op: "read", userId, ...read });
      },
      attach: ({ userId, roomId }) => runner.moveLocal(userId, roomId, true),
      detach: ({ userId, roomId }) => runner.moveLocal(userId, roomId, false),
      presence: (news) => {
        runner.presenceToRooms(news);
        contradict(news);
      },
      session_revoked: ({ token }) => revoke(token),
      user_deactivated: ({ userId, tokens }) => deactivate(userId, tokens),
    });
  };

  const stopEvents = runtime.events.on((event) => {
    if (event.type === "user_deactivated") {
      deactivate(event.userId, event.tokens);
      relayOut({ type: "user_deactivated", userId: event.userId, tokens: event.tokens });
      return;
    }
    revoke(event.token);
    // The session's sockets on other instances close too. The token is
    // as secret as the session table all instances already share.
    relayOut({ type: "session_revoked", token: event.token });
  });

  // Give every instance time to renew its leases (a restarted Redis has
  // none) before member lists are read again.
  const resyncDelayMs = Math.max(1_000, Math.floor(runtime.config.presenceTtlMs / 3)) + 1_000;
  let pending: ReturnType<typeof setTimeout> | undefined;
  const scheduleResync = () => {
    void presence.tick();
    pending ??= setTimeout(() => {
      pending = undefined;
      resync().catch(failed("resync"));
    }, resyncDelayMs);
  };
  const stopRecovery = relay.onRecovered(scheduleResync);

  // An instance started while Redis is down must not stay deaf once it is
  // back: keep trying, then bring the sockets that connected meanwhile in step.
  let stopped = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  const subscribe = (attempt: number) => {
    relay
      .subscribe(receive)
      .then(() => {
        if (attempt > 0) {
          log.info("relay subscribed", { attempts: attempt + 1 });
          scheduleResync();
        }
      })
      .catch((error) => {
        if (attempt === 0) log.error("relay subscribe failed, retrying", { error: String(error) });
        if (stopped) return;
        retry = setTimeout(() => subscribe(attempt + 1), Math.min(500 * 2 ** attempt, 5_000));
        retry.unref();
      });
  };
  subscribe(0);

  return {
    lapsed: (userIds: string[]) => void lapsed(userIds).catch(failed("lapsed")),
    stop() {
      stopped = true;
      stopEvents();
      stopRecovery();
      clearTimeout(pending);
      clearTimeout(retry);
    },
  };
}
