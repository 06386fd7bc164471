import type { Hooks, Peer } from "crossws";
import { handleFrame } from "../../core/handle-frame";
import { Hub } from "../../core/hub";
import { UserSockets } from "../../core/presence";
import { decodeClientFrame } from "../../protocol/decode";
import { MAX_FRAME_BYTES, PROTOCOL_VERSION } from "../../protocol/frames";
import { sessionOf } from "../auth/auth.server";
import type { Runtime } from "../runtime.server";
import { clientIp, createAdmission } from "./admission.server";
import { createEffectRunner, send } from "./effects.server";
import { startHeartbeat } from "./heartbeat.server";
import { listenToServerEvents } from "./membership.server";
import { isOriginAllowed } from "./origin";
import { createSessionWatch } from "./sessions.server";
import "./context";

/** The crossws hooks behind /_ws: auth at upgrade, rooms as topics, frames to the core. */
export function createChatHooks(getRuntime: () => Promise<Runtime>): Partial<Hooks> {
  const hub = new Hub<Peer>((peer) => peer.close(4008, "slow consumer"));
  const online = new UserSockets<Peer>();
  const heartbeat = startHeartbeat();
  const sessions = createSessionWatch((peer, code, reason) => peer.close(code, reason));
  let admission: ReturnType<typeof createAdmission> | undefined;
  let listening = false;
  // Frames of one socket are handled one after another, so acks and
  // broadcasts keep the order in which the client sent.
  const queues = new WeakMap<Peer, Promise<void>>();
  // A socket can close while `open` still awaits the database; `open` must
  // then not register it, or its user would stay online for good.
  const closed = new WeakSet<Peer>();

  const setup = async () => {
    const runtime = await getRuntime();
    admission ??= createAdmission(runtime.config.limits);
    if (!listening) {
      listening = true;
      listenToServerEvents(runtime, { hub, online, revoke: sessions.revoke });
    }
    return { runtime, admission };
  };

  async function handleText(peer: Peer, raw: string): Promise<void> {
    const { runtime, admission } = await setup();
    const decision = admission.admit(peer, peer.context.user.id);
    if (decision.kind === "close") {
      peer.close(1008, "rate limit exceeded");
      return;
    }
    const decoded = decodeClientFrame(raw);
    if (decision.kind === "limit") {
      const clientId =
        decoded.ok && decoded.frame.type === "send" ? decoded.frame.clientId : undefined;
      const { retryAfterMs } = decision;
      send(peer, {
        type: "error",
        code: "rate_limited",
        message: "slow down",
        clientId,
        retryAfterMs,
      });
      return;
    }
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
      const { runtime, admission } = await setup();
      const { config, auth, log } = runtime;
      const origin = request.headers.get("origin");
      if (!isOriginAllowed(origin, request.headers.get("host"), config.allowedOrigins)) {
        log.warn("upgrade refused", { reason: "origin", origin });
        return new Response("Forbidden origin", { status: 403 });
      }
      const session = await sessionOf(auth, request.headers);
      if (!session) {
        log.info("upgrade refused", { reason: "no_session" });
        return new Response("Unauthorized", { status: 401 });
      }
      const ip = clientIp(request, config.trustProxy);
      const refusal = admission.refusal(session.user.id, ip);
      if (refusal) {
        log.warn("upgrade refused", { reason: "too_many_connections", user: session.user.id, ip });
        return new Response(refusal, { status: 429 });
      }
      admission.opened(session.user.id, ip);
      const { user, token, expiresAt } = session;
      return { context: { user, ip, session: { token, expiresAt } } };
    },

    async open(peer) {
      const { runtime } = await setup();
      const { storage, log } = runtime;
      const { user, session } = peer.context;
      heartbeat.track(peer);
      sessions.watch(peer, session.token, session.expiresAt);
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
      const { runtime, admission } = await setup();
      const { user, ip, session } = peer.context;
      if (!user) return;
      admission.closed(user.id, ip);
      sessions.forget(peer, session.token);
      const rooms = hub.drop(peer);
      if (online.remove(user.id, peer)) {
        createEffectRunner({ hub, online, storage: runtime.storage }).announce(peer, rooms, false);
      }
      runtime.log.info("ws close", { peer: peer.id, user: user.id, code: details.code });
    },

    async error(peer, error) {
      const { log } = await getRuntime();
      log.error("ws error", { peer: peer.id, user: peer.context.user?.id, error: String(error) });
    },
  };
}
