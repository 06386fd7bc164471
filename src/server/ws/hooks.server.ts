import type { Hooks, Peer } from "crossws";
import { handleFrame } from "../../core/handle-frame";
import { Hub } from "../../core/hub";
import { ConnectionCounter } from "../../core/presence";
import { decodeClientFrame, encodeServerFrame } from "../../protocol/decode";
import { MAX_FRAME_BYTES, PROTOCOL_VERSION, type ServerFrame } from "../../protocol/frames";
import { sessionUser } from "../auth/auth.server";
import type { Runtime } from "../runtime.server";
import { isOriginAllowed } from "./origin";
import "./context";

/** The crossws hooks behind /_ws: auth at upgrade, rooms as topics, frames to the core. */
export function createChatHooks(getRuntime: () => Promise<Runtime>): Partial<Hooks> {
  const hub = new Hub<Peer>();
  const online = new ConnectionCounter();
  // Frames of one socket are handled one after another, so acks and
  // broadcasts keep the order in which the client sent.
  const queues = new WeakMap<Peer, Promise<void>>();

  const send = (peer: Peer, frame: ServerFrame) => peer.send(encodeServerFrame(frame));

  const announce = (peer: Peer, roomIds: Iterable<string>, isOnline: boolean) => {
    const { user } = peer.context;
    for (const roomId of roomIds) {
      const frame = encodeServerFrame({ type: "presence", roomId, user, online: isOnline });
      hub.publish(roomId, frame, peer);
    }
  };

  async function handleText(peer: Peer, raw: string): Promise<void> {
    const runtime = await getRuntime();
    const decoded = decodeClientFrame(raw);
    if (!decoded.ok) {
      const { code, message, clientId } = decoded;
      send(peer, { type: "error", code, message, clientId });
      return;
    }
    const { user } = peer.context;
    const outcome = await handleFrame(decoded.frame, user, runtime.storage);
    switch (outcome.kind) {
      case "reply":
        send(peer, outcome.frame);
        return;
      case "subscribe":
        hub.subscribe(peer, outcome.roomId);
        send(peer, { type: "subscribed", roomId: outcome.roomId });
        return;
      case "stored":
        send(peer, outcome.ack);
        // A retried send was published the first time; members that missed
        // it recover it from history by seq.
        if (!outcome.duplicate) {
          const frame = encodeServerFrame({ type: "message", message: outcome.message });
          hub.publish(outcome.message.roomId, frame, peer);
        }
        return;
    }
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
      const { storage, log } = await getRuntime();
      const { user } = peer.context;
      const rooms = await storage.rooms.roomsOf(user.id);
      for (const room of rooms) hub.subscribe(peer, room.id);
      send(peer, { type: "ready", v: PROTOCOL_VERSION, user, rooms });
      if (online.add(user.id)) {
        announce(
          peer,
          rooms.map((r) => r.id),
          true,
        );
      }
      log.info("ws open", { peer: peer.id, user: user.id });
    },

    message(peer, message) {
      const raw = message.rawData;
      const size = typeof raw === "string" ? Buffer.byteLength(raw) : message.uint8Array().length;
      if (size > MAX_FRAME_BYTES) {
        // The production server refuses these in ws itself (maxPayload);
        // this covers the dev server, whose adapter we do not configure.
        peer.close(1009, "frame too large");
        return;
      }
      const previous = queues.get(peer) ?? Promise.resolve();
      const next = previous
        .then(() => handleText(peer, message.text()))
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

    async close(peer, details) {
      const { log } = await getRuntime();
      const { user } = peer.context;
      if (!user) return;
      const rooms = hub.drop(peer);
      if (online.remove(user.id)) announce(peer, rooms, false);
      log.info("ws close", { peer: peer.id, user: user.id, code: details.code });
    },

    async error(peer, error) {
      const { log } = await getRuntime();
      log.error("ws error", { peer: peer.id, user: peer.context.user?.id, error: String(error) });
    },
  };
}
