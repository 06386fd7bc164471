import { randomUUID } from "node:crypto";
import type { Socket } from "node:net";
import { Duplex } from "node:stream";
import type { Hooks, Peer, PeerContext } from "crossws";
import { handleFrame } from "../../core/handle-frame";
import { frameCost } from "../../core/rate-limit";
import { decodeClientFrame, pickRef } from "../../protocol/decode";
import {
  FOLLOWED_IN_READY,
  MAX_FRAME_BYTES,
  PROTOCOL_VERSION,
  SAVED_IDS_LIMIT,
} from "../../protocol/frames";
import { readServerRole } from "../auth/server-role.server";
import { isDraining, onDrain } from "../drain.server";
import type { Runtime } from "../runtime.server";
import { clientIp } from "./admission.server";
import { createSendOrder, stampAnswer } from "./answers.server";
import { isOriginAllowed, ownOrigin } from "./origin";
import type { Realtime } from "./realtime.server";
import "./context";
import { tokenSession } from "./token-session.server";

/** The crossws hooks behind /_ws: auth at upgrade, rooms as topics, frames to the core. */
export function createChatHooks(getRealtime: () => Promise<Realtime>): Partial<Hooks> {
  const getRuntime = () => getRealtime().then((realtime) => realtime.runtime);
  // Set once the realtime side is built (the runtime is async): until then
  // a frame is admitted when its turn comes (see handleText).
  let built: Realtime | undefined;
  // Frames of one socket are handled one after another, so acks and
  // broadcasts keep the order in which the client sent.
  const queues = new WeakMap<Peer, Promise<void>>();
  // A socket can close while `open` still awaits the database; `open` must
  // then not register it, or its user would stay online for good.
  const closed = new WeakSet<Peer>();
  // Sends that name their predecessor wait for it (see createSendOrder).
  const order = createSendOrder();
  // Frames being handled, so that shutdown can let their commits and acks finish.
  const inFlight = new Set<Promise<void>>();
  onDrain(async () => {
    while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
  });

  const setup = async () => {
    const realtime = await getRealtime();
    built = realtime;
    return realtime;
  };
  const refuse = (
    runtime: Runtime,
    reason: string,
    status: number,
    body: string,
    fields: object,
    headers?: Record<string, string>,
  ) => {
    runtime.metrics.upgradesRefused.inc({ reason });
    runtime.log.warn("upgrade refused", { reason, ...fields });
    return new Response(body, { status, headers });
  };
  /** 429 for an upgrade over its connect budget, with when to try again. */
  const tooFast = (runtime: Runtime, waitMs: number, fields: object) =>
    refuse(runtime, "connect_rate", 429, "too many connection attempts", fields, {
      "retry-after": String(Math.max(1, Math.ceil(waitMs / 1000))),
    });

  type Admitted =
    | { kind: "close" }
    | { kind: "limit"; clientId?: string; ref?: string; retryAfterMs: number }
    | { kind: "pass"; decoded: ReturnType<typeof decodeClientFrame> };

  /**
   * Decodes a frame and spends its tokens (decoded first, at most 64 KiB,
   * so that replays can cost more). Called as the frame arrives whenever
   * the admission is set up, so frames over the rate are refused at once
   * and never wait in the socket's queue behind a replay that waits for
   * the reader: what waits is bounded by the rate, not by how fast a
   * client writes.
   */
  function admit(
    peer: Peer,
    raw: string,
    gate: Realtime["admission"],
    counters: Runtime["metrics"],
  ): Admitted {
    const decoded = decodeClientFrame(raw);
    const cost = decoded.ok ? frameCost(decoded.frame) : 1;
    const decision = gate.admit(peer, peer.context.user.id, cost);
    if (decision.kind === "close") return { kind: "close" };
    counters.framesIn.inc({ type: decoded.ok ? decoded.frame.type : "invalid" });
    if (decision.kind === "limit") {
      counters.rateLimited.inc();
      const clientId =
        decoded.ok && decoded.frame.type === "send" ? decoded.frame.clientId : undefined;
      const ref = decoded.ok ? decoded.frame.ref : decoded.ref;
      return { kind: "limit", clientId, ref, retryAfterMs: decision.retryAfterMs };
    }
    return { kind: "pass", decoded };
  }

  /** Whether the frame with a ref has had its one answer (an error after it must not repeat it). */
  type Answer = { answered: boolean };

  /** Handles an admitted (or refused) frame, in the socket's order. */
  async function handleAdmitted(peer: Peer, admitted: Admitted, answer: Answer): Promise<void> {
    const { runner, frameDeps, visibility } = await setup();
    if (admitted.kind === "close") {
      peer.close(1008, "rate limit exceeded");
      return;
    }
    if (admitted.kind === "limit") {
      const { clientId, retryAfterMs, ref } = admitted;
      const message = "slow down";
      const frame = {
        type: "error",
        code: "rate_limited",
        message,
        clientId,
        retryAfterMs,
      } as const;
      answer.answered = true;
      runner.send(peer, ref === undefined ? frame : { ...frame, ref });
      return;
    }
    const { decoded } = admitted;
    if (!decoded.ok) {
      const { code, message, clientId, ref } = decoded;
      answer.answered = true;
      runner.send(peer, {
        type: "error",
        code,
        message,
        clientId,
        ...(ref !== undefined && { ref }),
      });
      return;
    }
    const { frame } = decoded;
    const { ref } = frame;
    if (frame.type === "ping") {
      runner.send(peer, { type: "pong" });
      if (ref !== undefined) runner.send(peer, { type: "ok", ref });
      return;
    }
    if (frame.type === "visibility") {
      // Whether this tab is looking: a user with a visible tab anywhere gets no notification.
      // A frame queued behind the socket's close must not count it again.
      if (!closed.has(peer)) await visibility.report(peer.context.user.id, peer, frame.visible);
      if (ref !== undefined) runner.send(peer, { type: "ok", ref });
      return;
    }
    if (frame.type === "send") {
      const refusal = order.check(peer, frame);
      if (refusal) {
        answer.answered = true;
        runner.send(peer, ref === undefined ? refusal : { ...refusal, ref });
        return;
      }
    }
    const effects = await handleFrame(frame, peer.context.user, frameDeps);
    if (frame.type === "send" && effects[0]?.kind === "reply" && effects[0].frame.type === "ack")
      order.stored(peer, frame.roomId, frame.clientId);
    if (ref === undefined) {
      await runner.run(peer, effects);
      return;
    }
    // The edge answers for the core: its reply (error, ack) carries the
    // ref, or an `ok` follows the effects when they had none.
    const stamped = stampAnswer(effects, ref);
    for (const effect of stamped.effects) {
      await runner.one(peer, effect);
      if (effect === stamped.answer) answer.answered = true;
    }
    if (!stamped.answer) {
      answer.answered = true;
      runner.send(peer, { type: "ok", ref });
    }
  }

  /** A frame that arrived before the admission was set up: admitted in turn. */
  async function handleText(peer: Peer, raw: string, answer: Answer): Promise<void> {
    const { runtime, admission } = await setup();
    await handleAdmitted(peer, admit(peer, raw, admission, runtime.metrics), answer);
  }

  /** The upgrade's checks, run holding a place among the connects being set up. */
  const admitUpgrade = async (
    request: Request,
    runtime: Runtime,
    connected: () => void,
  ): Promise<Response | { context: PeerContext }> => {
    const { admission, sessionLookup } = await setup();
    const { config } = runtime;
    // One id per handshake ties its log lines together (a proxy's id wins).
    const requestId = request.headers.get("x-request-id")?.slice(0, 64) || randomUUID();
    const ip = clientIp(request, config);
    // Every attempt, signed in or not, spends from its address's budget
    // before it costs a session lookup (F-11).
    const ipWait = admission.connectWait("ip", ip);
    if (ipWait > 0) return tooFast(runtime, ipWait, { ip, requestId });
    const origin = request.headers.get("origin");
    const socket = upgradeSocket(request);
    const own = ownOrigin(
      {
        host: request.headers.get("host"),
        forwardedProto: request.headers.get("x-forwarded-proto"),
        encrypted: (socket as { encrypted?: boolean } | undefined)?.encrypted === true,
      },
      config,
    );
    if (!isOriginAllowed(origin, own, config.allowedOrigins)) {
      return refuse(runtime, "origin", 403, "Forbidden origin", { origin, requestId });
    }
    // A bot's token (issue 15), else the browser's session cookie: as
    // sessionOf answers, at a fraction of its CPU (session-lookup.server.ts).
    const bearer = request.headers.get("authorization");
    const session =
      bearer === null
        ? await sessionLookup.lookup(request.headers)
        : await tokenSession(runtime.db, bearer);
    if (session === "no_scope") {
      return refuse(runtime, "token_scope", 403, "Token lacks the read scope", { requestId });
    }
    if (!session) {
      // Told apart in the metrics: a bot with a dead token, not a signed-out tab.
      const reason = bearer === null ? "no_session" : "bad_token";
      return refuse(runtime, reason, 401, "Unauthorized", { requestId });
    }
    // The lookup may have outlasted the start of a shutdown: a socket
    // opened now would miss the drain's 1012 and be cut without one.
    if (isDraining()) return refuse(runtime, "draining", 503, "Server shutting down", {});
    const userWait = admission.connectWait("user", session.user.id);
    if (userWait > 0) return tooFast(runtime, userWait, { user: session.user.id, ip, requestId });
    const refusal = admission.refusal(session.user.id, ip);
    if (refusal) {
      return refuse(runtime, "too_many_connections", 429, refusal, {
        user: session.user.id,
        ip,
        requestId,
      });
    }
    // The client may have hung up during the session lookup: a slot
    // counted now would never be freed, since its socket never opens.
    if (socket?.destroyed) return refuse(runtime, "hung_up", 400, "Gone", { requestId });
    // The slot lives as long as the TCP connection, opened or not (F-8).
    const release = admission.hold(session.user.id, ip);
    socket?.once("close", release);
    // Also freed if the TCP socket closes before `ready` (or never opens).
    socket?.once("close", connected);
    const { user, token, expiresAt } = session;
    return {
      context: { user, ip, requestId, session: { token, expiresAt }, release, connected },
    };
  };

  const hooks: Partial<Hooks> = {
    async upgrade(request) {
      const { runtime, admission, loopLag } = await setup();
      if (isDraining()) {
        // Shutting down: the client's next attempt lands on another instance.
        return refuse(runtime, "draining", 503, "Server shutting down", {});
      }
      const connected = admission.enterConnect(loopLag.behindMs());
      if (!connected) {
        // Not logged one by one: in a storm that is thousands of lines a second.
        runtime.metrics.upgradesRefused.inc({ reason: "busy" });
        return new Response("Server busy, try again", {
          status: 503,
          headers: { "retry-after": "1" },
        });
      }
      try {
        const admitted = await admitUpgrade(request, runtime, connected);
        if (admitted instanceof Response) connected();
        return admitted;
      } catch (error) {
        connected();
        throw error;
      }
    },
    async open(peer) {
      const { runtime, runner, presence, hub, online, heartbeat, sessions } = await setup();
      const { storage, log } = runtime;
      const { user, session } = peer.context;
      runtime.metrics.connections.inc({}, 1);
      heartbeat.track(peer);
      sessions.watch(peer, session.token, session.expiresAt);
      const [rooms, threads, saved, notifySettings, serverRole] = await Promise.all([
        storage.rooms.summariesOf(user.id),
        storage.threads.followedStates(user.id, FOLLOWED_IN_READY),
        storage.saved.ids(user.id, SAVED_IDS_LIMIT),
        storage.notify.settings(user.id),
        readServerRole(runtime.db, user.id),
      ]);
      // Set up: the next connect of a storm may start (admission.enterConnect).
      peer.context.connected();
      if (closed.has(peer)) return;
      for (const room of rooms) hub.subscribe(peer, room.id);
      const ready = {
        user,
        rooms,
        threads,
        saved,
        notifySettings,
        ...(serverRole && { serverRole }),
      };
      runner.send(peer, { type: "ready", v: PROTOCOL_VERSION, ...ready });
      if (online.add(user.id, peer)) {
        // Hold the lease first: whoever hears "online" and asks for the
        // member list must find this user online in it.
        await presence.arrived(user.id);
        runner.announceUser(
          user,
          rooms.map((room) => room.id),
          true,
        );
      }
      // The request id names the socket in open and close lines; crossws's
      // peer.id would mint and keep a UUID per socket even with info off.
      log.info("ws open", { user: user.id, requestId: peer.context.requestId });
    },

    message(peer, message) {
      // Not liveness: only a pong proves the client reads what we send (a
      // client that writes but never reads must not stay up on its frames).
      const raw = message.rawData;
      if (typeof raw !== "string") {
        // The protocol is JSON text; a binary frame is refused, never parsed.
        const message = "binary frames are not supported";
        built?.runner.send(peer, { type: "error", code: "bad_frame", message });
        return;
      }
      if (Buffer.byteLength(raw) > MAX_FRAME_BYTES) {
        // The production server refuses these in ws itself (maxPayload);
        // this covers the dev server, whose adapter we do not configure.
        peer.close(1009, "frame too large");
        return;
      }
      // Admitted on arrival (see admit); only the decision waits in the queue.
      const admitted = built ? admit(peer, raw, built.admission, built.runtime.metrics) : undefined;
      if (admitted?.kind === "close") {
        peer.close(1008, "rate limit exceeded");
        return;
      }
      const previous = queues.get(peer) ?? Promise.resolve();
      const answer: Answer = { answered: false };
      const next = previous
        .then(() =>
          admitted ? handleAdmitted(peer, admitted, answer) : handleText(peer, raw, answer),
        )
        .catch(async (error) => {
          const { log } = await getRuntime();
          log.error("frame failed", {
            peer: peer.id,
            user: peer.context.user?.id,
            requestId: peer.context.requestId,
            error: String(error),
          });
          const message = "the server could not handle that frame";
          if (answer.answered) return;
          // Rare path: the frame is read again for its ref and clientId.
          const { ref, clientId } = refAndClientId(raw);
          built?.runner.send(peer, { type: "error", code: "internal", message, clientId, ref });
        });
      queues.set(peer, next);
      inFlight.add(next);
      void next.finally(() => inFlight.delete(next));
      return next;
    },

    pong(peer) {
      // Browsers answer our pings by themselves; this is the only liveness.
      built?.heartbeat.alive(peer);
    },

    async close(peer, details) {
      closed.add(peer);
      built?.heartbeat.untrack(peer);
      const { runtime, runner, presence, hub, online, sessions, visibility } = await setup();
      const { user, session } = peer.context;
      if (!user) return;
      // A closed tab stops counting as visible (issue 13).
      await visibility.closed(user.id, peer);
      runtime.metrics.connections.inc({}, -1);
      // Usually released already, when the TCP socket closed.
      peer.context.release();
      peer.context.connected();
      sessions.forget(peer, session.token);
      const rooms = hub.drop(peer);
      // While draining, leases are left to lapse: the user is expected back
      // on another instance within seconds, and an "offline" now would flicker.
      if (online.remove(user.id, peer) && !isDraining() && (await presence.departed(user.id))) {
        runner.announceUser(user, rooms, false);
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
  return withErrorPaths(hooks, getRuntime);
}

/** The ref and clientId of a raw frame, for answering it after a failure. */
function refAndClientId(raw: string): { ref?: string; clientId?: string } {
  try {
    const json: unknown = JSON.parse(raw);
    const decoded = decodeClientFrame(raw);
    const clientId = decoded.ok
      ? decoded.frame.type === "send"
        ? decoded.frame.clientId
        : undefined
      : decoded.clientId;
    return { ref: pickRef(json), clientId };
  } catch {
    return {};
  }
}

/**
 * The TCP socket under an upgrade request on the production server (srvx's
 * NodeRequest carries it); undefined elsewhere (the dev server), where a
 * slot is released by the `close` hook alone.
 */
function upgradeSocket(request: Request): Socket | undefined {
  const node = (request as { runtime?: { node?: { upgrade?: { socket?: unknown } } } }).runtime
    ?.node;
  const socket = node?.upgrade?.socket;
  return socket instanceof Duplex ? (socket as Socket) : undefined;
}

/**
 * crossws calls `open`, `close` and `error` without awaiting or catching
 * them: a rejection there (the database failing mid-open, a socket gone)
 * would be unhandled and end the process. Each is logged instead, and a
 * socket whose `open` failed is closed (1011) so its client retries.
 */
export function withErrorPaths(
  hooks: Partial<Hooks>,
  getRuntime: () => Promise<Runtime>,
): Partial<Hooks> {
  const failed = (hook: string, peer: Peer, error: unknown) => {
    getRuntime()
      .then(({ log }) =>
        log.error(`ws ${hook} failed`, {
          user: peer.context?.user?.id,
          requestId: peer.context?.requestId,
          error: String(error),
        }),
      )
      .catch(() => console.error(`ws ${hook} failed`, String(error)));
  };
  const { open, close, error } = hooks;
  return {
    ...hooks,
    async open(peer) {
      try {
        await open?.(peer);
      } catch (cause) {
        failed("open", peer, cause);
        try {
          peer.close(1011, "server error");
        } catch {
          // already closed
        }
      }
    },
    async close(peer, details) {
      try {
        await close?.(peer, details);
      } catch (cause) {
        failed("close", peer, cause);
      }
    },
    async error(peer, wsError) {
      try {
        await error?.(peer, wsError);
      } catch (cause) {
        failed("error", peer, cause);
      }
    },
  };
}
