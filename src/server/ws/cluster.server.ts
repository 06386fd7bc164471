import type { Peer } from "crossws";
import type { Hub } from "../../core/hub";
import type { UserSockets } from "../../core/presence";
import { encodeServerFrame } from "../../protocol/decode";
import { PROTOCOL_VERSION, type WireUser } from "../../protocol/frames";
import type { Runtime } from "../runtime.server";
import { type EffectRunner, parsePresenceNews, relayKey } from "./effects.server";
import type { PresenceTracker } from "./presence.server";

type Deps = {
  runner: EffectRunner;
  hub: Hub<Peer>;
  online: UserSockets<Peer>;
  presence: PresenceTracker;
  /** Closes every local socket of a signed-out session. */
  revoke: (token: string) => void;
};

/** Relay keys of server events (the room and user keys are the effect runner's). */
const JOINED = "j:";
const SIGNED_OUT = "s:";
/** How an encoded presence frame starts (JSON.stringify keeps `type` first). */
const PRESENCE_FRAME = '{"type":"presence"';

/**
 * What ties one instance's sockets to the others': server events (a room
 * joined through a server function, a sign-out) apply here and go out on the
 * relay; what other instances publish arrives here and reaches the local
 * sockets it concerns; after a relay outage every local socket is brought
 * back in step from the database.
 */
export function linkInstance(runtime: Runtime, deps: Deps) {
  const { runner, hub, online, presence, revoke } = deps;
  const { relay, storage, log } = runtime;
  const failed = (what: string) => (error: unknown) =>
    log.error("cluster event failed", { what, error: String(error) });
  const { relayOut } = runner;

  /** A user joined a room: their local sockets subscribe and every local tab learns of it. */
  const joinedHere = async (userId: string, roomId: string) => {
    if (!online.isOnline(userId)) return;
    const room = await storage.rooms.summaryOf(roomId, userId);
    if (!room) return;
    runner.moveLocal(userId, roomId, true);
    runner.toUser(userId, encodeServerFrame({ type: "room_added", room }));
  };

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
      for (const socket of online.socketsOf(userId)) {
        hub.drop(socket);
        for (const room of rooms) hub.subscribe(socket, room.id);
        const { user } = socket.context;
        runner.send(socket, { type: "ready", v: PROTOCOL_VERSION, user, rooms });
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
  const contradict = (user: WireUser | undefined, isOnline: unknown, rooms: string[]) => {
    if (isOnline !== false || !user || !online.isOnline(user.id)) return;
    void presence.arrived(user.id);
    runner.announceUser(user, rooms, true);
  };
  /** A per-room presence frame (an instance of an older version sends these). */
  const contradictFrame = (roomId: string, data: string) => {
    let frame: { user?: WireUser; online?: boolean };
    try {
      frame = JSON.parse(data);
    } catch {
      return;
    }
    contradict(frame.user, frame.online, [roomId]);
  };

  /** Routes a frame another instance published. */
  const receive = (key: string, data: string) => {
    if (key.startsWith(relayKey.attach(""))) runner.moveLocal(key.slice(2), data, true);
    else if (key.startsWith(relayKey.detach(""))) runner.moveLocal(key.slice(2), data, false);
    else if (key.startsWith(JOINED)) joinedHere(key.slice(2), data).catch(failed("joined"));
    else if (key.startsWith(SIGNED_OUT)) revoke(data);
    else {
      runner.fromRelay(key, data);
      if (key.startsWith(relayKey.presence(""))) {
        const news = parsePresenceNews(data);
        if (news) contradict(news.user, news.online, news.rooms);
        return;
      }
      const isRoom = key.startsWith(relayKey.room(""));
      if (isRoom && data.startsWith(PRESENCE_FRAME)) contradictFrame(key.slice(2), data);
    }
  };

  const stopEvents = runtime.events.on((event) => {
    if (event.type === "signed_out") {
      revoke(event.token);
      // The session's sockets on other instances close too. The token is
      // as secret as the session table all instances already share.
      relayOut(SIGNED_OUT, event.token);
      return;
    }
    const { userId, roomId } = event;
    relayOut(`${JOINED}${userId}`, roomId);
    joinedHere(userId, roomId)
      .then(() => runner.publishMembers(roomId))
      .catch(failed("joined"));
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
  const stopRecovery = relay?.onRecovered?.(scheduleResync);

  // An instance started while Redis is down must not stay deaf once it is
  // back: keep trying, then bring the sockets that connected meanwhile in step.
  let stopped = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  const subscribe = (attempt: number) => {
    relay
      ?.subscribe(receive)
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
      stopRecovery?.();
      clearTimeout(pending);
      clearTimeout(retry);
    },
  };
}
