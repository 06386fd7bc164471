/**
 * Every private field of a library that Parley reads, in one place.
 *
 * Parley runs its own Node server (server/entry.ts: srvx 1.0 over
 * node:http, crossws 0.4.17's node adapter, h3 2.0 routes) and, for speed
 * and for memory per idle connection, reaches under three of those
 * libraries' public APIs. None of these shapes is promised by its library,
 * so a minor update may rename or drop any of them. This module is the only
 * place that knows them: each is described with the version it was read
 * from, why Parley reads it, and what happens when it is not there.
 *
 * When a shape is missing, Parley keeps working on the public API and says
 * so once in the log; nothing here may throw because a library changed.
 *
 * Checked against: crossws 0.4.17 (which bundles its own copy of ws 8 in
 * dist/_chunks/libs/ws.mjs, the same code as ws 8.23 in node_modules) and
 * Node 20 / 24's node:http.
 */
import type { Socket } from "node:net";
import { createLogger, type Logger } from "../log.server";

// ---------------------------------------------------------------------------
// ws, through a crossws node-adapter peer: the direct socket write
// ---------------------------------------------------------------------------

/**
 * The parts of a ws `WebSocket` that the direct write relies on (ws 8,
 * lib/websocket.js and lib/sender.js):
 *
 * - `_readyState`: the number behind the public `readyState` getter
 *   (1 = OPEN). Read directly because crossws hands us the peer, and the
 *   getter costs a call per socket per fan-out.
 * - `_socket`: the `net.Socket` ws frames onto. Writing a pre-built frame
 *   to it skips ws's per-socket framing and UTF-8 encoding of the same
 *   text, which is most of the fan-out's CPU (see frame-writer.server.ts).
 * - `_sender._state`: ws's Sender writes synchronously only in state 0
 *   (DEFAULT); in 1 (DEFLATING) or 2 (GET_BLOB_DATA) it queues, and a
 *   direct write would overtake the queued frames.
 * - `_sender._bufferedBytes`: bytes ws queued in that state; with the
 *   socket's `writableLength` this is what ws's public `bufferedAmount`
 *   reports, so direct writes count toward the slow-consumer limit.
 */
type WsInternals = {
  _readyState: number;
  _socket: Socket | null;
  _sender: { _state: number; _bufferedBytes: number };
};

/**
 * A crossws 0.4 node-adapter `NodePeer` keeps its adapter state in
 * `_internal` (`{ ws, nodeReq, peers, hooks }`, dist/_chunks/node.mjs);
 * `_internal.ws` is the ws WebSocket above. Every crossws Peer has an
 * `_internal`, so its presence is how a crossws peer is told from other
 * sinks (another adapter's peers have no `ws` in it, test doubles may have
 * no `_internal` at all); those always go through `peer.send`.
 */
type PeerInternals = { _internal?: { ws?: unknown } };

const WS_OPEN = 1;
/** ws's Sender `DEFAULT` state: nothing queued, writes go to the socket at once. */
const SENDER_IDLE = 0;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null;

/** Whether `ws` has every field of {@link WsInternals}, of the right kinds. */
export function hasWsShape(ws: unknown): ws is WsInternals {
  if (!isObject(ws) || typeof ws._readyState !== "number") return false;
  const sender = ws._sender;
  if (!isObject(sender) || typeof sender._state !== "number") return false;
  if (typeof sender._bufferedBytes !== "number") return false;
  const socket = ws._socket;
  if (socket === null) return true; // not attached yet, or already detached
  return (
    isObject(socket) &&
    typeof socket.write === "function" &&
    typeof socket.writableLength === "number"
  );
}

/**
 * Reads ws's internals under crossws node peers, checking their shape on
 * the first crossws peer it sees (lazily: there is no peer before the
 * first connection, and a test may build a writer without a server). When
 * the shape is not there, direct writes are off for the life of the
 * process, `warn` is called once, and every peer falls back to `peer.send`
 * and its public `bufferedAmount`.
 */
export function createWsInternals(warn: Logger["warn"] = defaultWarn) {
  let state: "unchecked" | "on" | "off" = "unchecked";
  const wsOf = (peer: unknown): WsInternals | undefined => {
    if (state === "off" || !isObject(peer) || !("_internal" in peer)) return undefined;
    const ws = (peer as PeerInternals)._internal?.ws;
    if (state === "on") return ws as WsInternals;
    if (hasWsShape(ws)) {
      state = "on";
      return ws;
    }
    state = "off";
    warn("direct socket writes are off: ws internals not found under the crossws peer", {
      expected: "peer._internal.ws{_readyState,_socket,_sender{_state,_bufferedBytes}}",
      fallback: "peer.send",
    });
    return undefined;
  };
  return {
    /** Whether direct writes are in use: undefined until the first crossws peer. */
    get enabled(): boolean | undefined {
      return state === "unchecked" ? undefined : state === "on";
    },
    /**
     * The peer's TCP socket when a frame may be written to it now without
     * overtaking anything ws holds (open, sender idle); else undefined, and
     * the caller uses `peer.send`. Hot path: no allocation per call.
     */
    ready(peer: unknown): Socket | undefined {
      const ws = wsOf(peer);
      if (ws?._readyState !== WS_OPEN || ws._sender._state !== SENDER_IDLE) return undefined;
      return ws._socket ?? undefined;
    },
    /** Bytes queued for the peer (socket's writable length plus ws's own queue), if known. */
    queued(peer: unknown): number | undefined {
      const ws = wsOf(peer);
      const socket = ws?._socket;
      return socket ? socket.writableLength + ws._sender._bufferedBytes : undefined;
    },
  };
}

let lazyLog: Logger | undefined;
/** The one-time warning goes to the same JSON log lines as the rest of the server. */
function defaultWarn(msg: string, fields?: object): void {
  lazyLog ??= createLogger("warn");
  lazyLog.warn(msg, fields);
}

// ---------------------------------------------------------------------------
// crossws, on the upgrade's IncomingMessage
// ---------------------------------------------------------------------------

/**
 * crossws 0.4.17's node `handleUpgrade` parks the upgrade's web `Request`
 * on the IncomingMessage as `_request` (dist/_chunks/node.mjs) and keeps it
 * for the socket's whole life without reading it again (the peer gets its
 * own `NodeReqProxy` over the IncomingMessage at "connection", and Parley's
 * hooks copy what they need at upgrade). Letting it go frees its parsed URL and headers per
 * idle connection. If the field is absent (crossws renamed or stopped
 * parking it), there is nothing to free and this does nothing.
 */
export function releaseUpgradeRequest(req: object): void {
  if ("_request" in req) delete (req as { _request?: unknown })._request;
}

// ---------------------------------------------------------------------------
// node:http, on a socket in `clientError`
// ---------------------------------------------------------------------------

/**
 * Node's http server sets `socket._httpMessage` to the ServerResponse it is
 * writing (lib/_http_server.js; Node's own default clientError handler
 * reads it the same way, in Node 18 to 24). A `clientError` on a socket
 * whose response already sent its head must not get a second head written
 * into it. Without the field (a future Node), this answers false, which is
 * what Node answered for a socket with no response under way: the 400/408/
 * 431 is written, and the socket is destroyed right after either way.
 */
export function responseUnderway(socket: object): boolean {
  const message = (socket as { _httpMessage?: unknown })._httpMessage;
  return isObject(message) && message.headersSent === true;
}
