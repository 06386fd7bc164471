import { randomUUID } from "node:crypto";
import type { Hooks, Peer } from "crossws";
import { handleFrame } from "../../core/handle-frame";
import { Hub, SLOW_CONSUMER_BYTES } from "../../core/hub";
import { UserSockets } from "../../core/presence";
import { decodeClientFrame } from "../../protocol/decode";
import { MAX_FRAME_BYTES, PROTOCOL_VERSION } from "../../protocol/frames";
import { sessionOf } from "../auth/auth.server";
import { isDraining, onDrain } from "../drain.server";
import type { Runtime } from "../runtime.server";
import { clientIp, createAdmission } from "./admission.server";
import { linkInstance } from "./cluster.server";
import { createEffectRunner, type EffectRunner } from "./effects.server";
import { frameWriter } from "./frame-writer.server";
import { startHeartbeat } from "./heartbeat.server";
import { isOriginAllowed } from "./origin";
import { createPresenceTracker, type PresenceTracker } from "./presence.server";
import { createSessionWatch, sessionsOf } from "./sessions.server";
import "./context";

/** The crossws hooks behind /_ws: auth at upgrade, rooms as topics, frames to the core. */
export function createChatHooks(getRuntime: () => Promise<Runtime>): Partial<Hooks> {
  let metrics: Runtime["metrics"] | undefined;
  const hub = new Hub<Peer>(
    (peer) => {
      metrics?.slowConsumers.inc();
      peer.close(4008, "slow consumer");
    },
    SLOW_CONSUMER_BYTES,
    frameWriter, // perf: one pre-built frame per room event, written to each socket
  );
  const online = new UserSockets<Peer>();
  const heartbeat = startHeartbeat();
  const sessions = createSessionWatch(
    (peer, code, reason) => peer.close(code, reason),
    sessionsOf(getRuntime),
  );
  let admission: ReturnType<typeof createAdmission> | undefined;
  let runner: EffectRunner | undefined;
  let presence: PresenceTracker | undefined;
  // Frames of one socket are handled one after another, so acks and
  // broadcasts keep the order in which the client sent.
  const queues = new WeakMap<Peer, Promise<void>>();
  // A socket can close while `open` still awaits the database; `open` must
  // then not register it, or its user would stay online for good.
  const closed = new WeakSet<Peer>();
  // Frames being handled, so that shutdown can let their commits and acks finish.
  const inFlight = new Set<Promise<void>>();
  onDrain(async () => {
    while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
  });

  // Built on first use: the runtime (config, storage, metrics) is async.
  const setup = async () => {
    const runtime = await getRuntime();
    admission ??= createAdmission(runtime.config.limits);
    metrics ??= runtime.metrics;
    if (!runner || !presence) {
      const { storage, metrics, relay, log, config } = runtime;
      let link: ReturnType<typeof linkInstance> | undefined;
      const tracker = createPresenceTracker({
        online,
        leases: runtime.presence,
        ttlMs: config.presenceTtlMs,
        log,
        onLapsed: (userIds) => link?.lapsed(userIds),
      });
      const onlineAmong = tracker.onlineAmong;
      const created = createEffectRunner({ hub, online, storage, metrics, relay, onlineAmong });
      link = linkInstance(runtime, {
        runner: created,
        hub,
        online,
        presence: tracker,
        revoke: sessions.revoke,
      });
      tracker.start();
      runner = created;
      presence = tracker;
    }
    return { runtime, admission, runner, presence };
  };
  const refuse = (
    runtime: Runtime,
    reason: string,
    status: number,
    body: string,
    fields: object,
  ) => {
    runtime.metrics.upgradesRefused.inc({ reason });
    runtime.log.warn("upgrade refused", { reason, ...fields });
    return new Response(body, { status });
  };

  async function handleText(peer: Peer, raw: string): Promise<void> {
    const { runtime, admission, runner } = await setup();
    const decision = admission.admit(peer, peer.context.user.id);
    if (decision.kind === "close") {
      peer.close(1008, "rate limit exceeded");
      return;
    }
    const decoded = decodeClientFrame(raw);
    runtime.metrics.framesIn.inc({ type: decoded.ok ? decoded.frame.type : "invalid" });
    if (decision.kind === "limit") {
      runtime.metrics.rateLimited.inc();
      const clientId =
        decoded.ok && decoded.frame.type === "send" ? decoded.frame.clientId : undefined;
      const { retryAfterMs } = decision;
      const message = "slow down";
      runner.send(peer, { type: "error", code: "rate_limited", message, clientId, retryAfterMs });
      return;
    }
    if (!decoded.ok) {
      const { code, message, clientId } = decoded;
      runner.send(peer, { type: "error", code, message, clientId });
      return;
    }
    if (decoded.frame.type === "ping") {
      runner.send(peer, { type: "pong" });
      return;
    }
    const effects = await handleFrame(decoded.frame, peer.context.user, runtime.storage);
    await runner.run(peer, effects);
  }

  return {
    async upgrade(request) {
      const { runtime, admission } = await setup();
      const { config, auth } = runtime;
      if (isDraining()) {
        // Shutting down: the client's next attempt lands on another instance.
        return refuse(runtime, "draining", 503, "Server shutting down", {});
      }
      // One id per handshake ties its log lines together (a proxy's id wins).
      const requestId = request.headers.get("x-request-id")?.slice(0, 64) || randomUUID();
      const origin = request.headers.get("origin");
      if (!isOriginAllowed(origin, request.headers.get("host"), config.allowedOrigins)) {
        return refuse(runtime, "origin", 403, "Forbidden origin", { origin, requestId });
      }
      const session = await sessionOf(auth, request.headers);
      if (!session) return refuse(runtime, "no_session", 401, "Unauthorized", { requestId });
      const ip = clientIp(request, config);
      const refusal = admission.refusal(session.user.id, ip);
      if (refusal) {
        return refuse(runtime, "too_many_connections", 429, refusal, {
          user: session.user.id,
          ip,
          requestId,
        });
      }
      admission.opened(session.user.id, ip);
      const { user, token, expiresAt } = session;
      return { context: { user, ip, requestId, session: { token, expiresAt } } };
    },

    async open(peer) {
      const { runtime, runner, presence } = await setup();
      const { storage, log } = runtime;
      const { user, session } = peer.context;
      runtime.metrics.connections.inc({}, 1);
      heartbeat.track(peer);
      sessions.watch(peer, session.token, session.expiresAt);
      const rooms = await storage.rooms.summariesOf(user.id);
      if (closed.has(peer)) return;
      for (const room of rooms) hub.subscribe(peer, room.id);
      runner.send(peer, { type: "ready", v: PROTOCOL_VERSION, user, rooms });
      if (online.add(user.id, peer)) {
        // Hold the lease first: whoever hears "online" and asks for the
        // member list must find this user online in it.
        await presence.arrived(user.id);
        runner.announce(
          peer,
          rooms.map((room) => room.id),
          true,
        );
      }
      // The request id names the socket in open and close lines; crossws's
      // peer.id would mint and keep a UUID per socket even with info off.
      log.info("ws open", { user: user.id, requestId: peer.context.requestId });
    },

    message(peer, message) {
      heartbeat.alive(peer);
      const raw = message.rawData;
      if (typeof raw !== "string") {
        // The protocol is JSON text; a binary frame is refused, never parsed.
        const message = "binary frames are not supported";
        runner?.send(peer, { type: "error", code: "bad_frame", message });
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
            requestId: peer.context.requestId,
            error: String(error),
          });
          const message = "the server could not handle that frame";
          runner?.send(peer, { type: "error", code: "internal", message });
        });
      queues.set(peer, next);
      inFlight.add(next);
      void next.finally(() => inFlight.delete(next));
      return next;
    },

    pong(peer) {
      heartbeat.alive(peer);
    },

    async close(peer, details) {
      closed.add(peer);
      heartbeat.untrack(peer);
      const { runtime, admission, runner, presence } = await setup();
      const { user, ip, session } = peer.context;
      if (!user) return;
      runtime.metrics.connections.inc({}, -1);
      admission.closed(user.id, ip);
      sessions.forget(peer, session.token);
      const rooms = hub.drop(peer);
      // While draining, leases are left to lapse: the user is expected back
      // on another instance within seconds, and an "offline" now would flicker.
      if (online.remove(user.id, peer) && !isDraining() && (await presence.departed(user.id))) {
        runner.announce(peer, rooms, false);
      }
      runtime.log.info("ws close", {
        user: user.id,
        requestId: peer.context.requestId,
        code: details.code,
      });
    },

    async error(peer, error) {
      const { log } = await getRuntime();
      log.error("ws error", {
        peer: peer.id,
        user: peer.context.user?.id,
        requestId: peer.context.requestId,
        error: String(error),
      });
    },
  };
}
