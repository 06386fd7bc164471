import type { Hooks, Peer } from "crossws";
import { handleFrame } from "../../core/handle-frame";
import { Hub } from "../../core/hub";
import { UserSockets } from "../../core/presence";
import { decodeClientFrame } from "../../protocol/decode";
import { MAX_FRAME_BYTES, PROTOCOL_VERSION } from "../../protocol/frames";
import { sessionUser } from "../auth/auth.server";
import type { Runtime } from "../runtime.server";
import { createEffectRunner, send } from "./effects.server";
import { startHeartbeat } from "./heartbeat.server";
import { isOriginAllowed } from "./origin";
import "./context";

/** The crossws hooks behind /_ws: auth at upgrade, rooms as topics, frames to the core. */
export function createChatHooks(getRuntime: () => Promise<Runtime>): Partial<Hooks> {
  const hub = new Hub<Peer>();
  const online = new UserSockets<Peer>();
  const heartbeat = startHeartbeat();
  // Membership changes made by server functions (create, open, DM) reach
  // the user's live sockets: subscribe them and tell every tab.
  let listening = false;
  const listen = (runtime: Runtime) => {
    if (listening) return;
    listening = true;
    runtime.events.on((event) => {
      if (event.type !== "joined" || !online.isOnline(event.userId)) return;
      const runner = createEffectRunner({ hub, online, storage: runtime.storage });
      void (async () => {
        const summary = await runtime.storage.rooms.summaryOf(event.roomId, event.userId);
        const first = [...online.socketsOf(event.userId)][0];
        if (!summary || !first) return;
        await runner.run(first, [
          { kind: "attach", userId: event.userId, roomId: event.roomId },
          { kind: "user", userId: event.userId, frame: { type: "room_added", room: summary } },
          { kind: "members", roomId: event.roomId },
        ]);
      })().catch((error) => runtime.log.error("membership event failed", { error: String(error) }));
    });
  };
  // Frames of one socket are handled one after another, so acks and
  // broadcasts keep the order in which the client sent.
  const queues = new WeakMap<Peer, Promise<void>>();
  // A socket can close while `open` still awaits the database; `open` must
  // then not register it, or its user would stay online for good.
  const closed = new WeakSet<Peer>();

  async function handleText(peer: Peer, raw: string): Promise<void> {
    const runtime = await getRuntime();
    const decoded = decodeClientFrame(raw);
    if (!decoded.ok) {
      const { code, message, clientId } = decoded;
      send(peer, { type: "error", code, message, clientId });
      return;
    }
    const effects = await handleFrame(decoded.frame, peer.context.user, runtime.storage);
    await createEffectRunner({ hub, online, storage: runtime.storage }).run(peer, effects);
  }

  return {
    async upgrade(request) {
      const { config, auth, log } = await getRuntime();
      const origin = request.headers.get("origin");
      if (!isOriginAllowed(origin, request.headers.get("host"), config.allowedOrigins)) {
        log.warn("upgrade refused", { reason: "origin", origin });
        return new Response("Forbidden origin", { status: 403 });
      }
      const user = await sessionUser(auth, request.headers);
      if (!user) {
        log.info("upgrade refused", { reason: "no_session" });
        return new Response("Unauthorized", { status: 401 });
      }
      return { context: { user } };
    },

    async open(peer) {
      const runtime = await getRuntime();
      listen(runtime);
      const { storage, log } = runtime;
      const { user } = peer.context;
      heartbeat.track(peer);
      const rooms = await storage.rooms.summariesOf(user.id);
      if (closed.has(peer)) return;
      for (const room of rooms) hub.subscribe(peer, room.id);
      send(peer, { type: "ready", v: PROTOCOL_VERSION, user, rooms });
      if (online.add(user.id, peer)) {
        const runner = createEffectRunner({ hub, online, storage });
        runner.announce(
          peer,
          rooms.map((room) => room.id),
          true,
        );
      }
      log.info("ws open", { peer: peer.id, user: user.id });
    },

    message(peer, message) {
      heartbeat.alive(peer);
      const raw = message.rawData;
      if (typeof raw !== "string") {
        // The protocol is JSON text; a binary frame is refused, never parsed.
        send(peer, {
          type: "error",
          code: "bad_frame",
          message: "binary frames are not supported",
        });
        return;
      }
      if (Buffer.byteLength(raw) > MAX_FRAME_BYTES) {
        // The production server refuses these in ws itself (maxPayload);
        // this covers the dev server, whose adapter we do not configure.
        peer.close(1009, "frame too large");
        return;
      }
      const previous = queues.get(peer) ?? Promise.resolve();
      const next = previous
        .then(() => handleText(peer, raw))
        .catch(async (error) => {
          const { log } = await getRuntime();
          log.error("frame failed", {
            peer: peer.id,
            user: peer.context.user?.id,
            error: String(error),
          });
          send(peer, {
            type: "error",
            code: "internal",
            message: "the server could not handle that frame",
          });
        });
      queues.set(peer, next);
      return next;
    },

    pong(peer) {
      heartbeat.alive(peer);
    },

    async close(peer, details) {
      closed.add(peer);
      heartbeat.untrack(peer);
      const { log, storage } = await getRuntime();
      const { user } = peer.context;
      if (!user) return;
      const rooms = hub.drop(peer);
      if (online.remove(user.id, peer)) {
        createEffectRunner({ hub, online, storage }).announce(peer, rooms, false);
      }
      log.info("ws close", { peer: peer.id, user: user.id, code: details.code });
    },

    async error(peer, error) {
      const { log } = await getRuntime();
      log.error("ws error", { peer: peer.id, user: peer.context.user?.id, error: String(error) });
    },
  };
}
