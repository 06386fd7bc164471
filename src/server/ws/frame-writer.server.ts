import type { Socket } from "node:net";
import type { FanoutWriter, Sink } from "../../core/hub";

/**
 * A server-to-client text frame (RFC 6455 5.2: FIN, opcode 1, unmasked)
 * holding `data`, as one Buffer: built once per room event and written
 * as-is to every member's TCP socket, instead of ws framing and UTF-8
 * encoding it again per socket and writing header and payload with writev.
 */
export function textFrame(data: string): Buffer {
  const length = Buffer.byteLength(data);
  const head = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(head + length);
  frame[0] = 0x81;
  if (head === 2) frame[1] = length;
  else if (head === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(0, 2);
    frame.writeUInt32BE(length, 6);
  }
  frame.write(data, head, "utf8");
  return frame;
}

/**
 * The parts of a `ws` WebSocket (crossws's node adapter bundles ws 8) the
 * direct write relies on; all private to ws, so each is checked before use.
 */
type WsInternals = {
  _readyState: number;
  _socket: Socket | null;
  _sender: { _state: number; _bufferedBytes: number };
};
type NodePeerInternals = { _internal?: { ws?: Partial<WsInternals> } };

const OPEN = 1;
/** ws's Sender writes synchronously only in this state (not deflating, no blob pending). */
const SENDER_IDLE = 0;

/**
 * The ws WebSocket under a crossws node-adapter peer, when a frame may be
 * written straight to its TCP socket without overtaking anything ws still
 * holds: the socket is open and ws's sender has nothing queued (it queues
 * only while compressing or reading a Blob; otherwise it writes to the
 * socket at once, so a direct write lands in the order of the calls).
 */
function directSocket(peer: unknown): Socket | undefined {
  const ws = (peer as NodePeerInternals)._internal?.ws;
  if (ws?._readyState !== OPEN || ws._sender?._state !== SENDER_IDLE) return undefined;
  return ws._socket ?? undefined;
}

/**
 * Writes pre-built frames to crossws node peers' sockets, and falls back to
 * `peer.send(string)` where the socket is not reachable (other adapters,
 * test doubles) or ws holds queued frames. Queued bytes are the socket's
 * writable length plus ws's own queue, which is what ws's bufferedAmount
 * reports: direct writes count toward the slow-consumer limit the same way.
 */
export const frameWriter: FanoutWriter<Sink> & { send(peer: Sink, data: string): void } = {
  prepare: textFrame,
  queued(peer) {
    const ws = (peer as NodePeerInternals)._internal?.ws;
    const socket = ws?._socket;
    if (!socket) return peer.bufferedAmount ?? 0;
    return socket.writableLength + (ws._sender?._bufferedBytes ?? 0);
  },
  write(peer, prepared, data) {
    const socket = directSocket(peer);
    if (socket) socket.write(prepared as Buffer);
    else peer.send(data);
  },
  /** One frame to one peer: one write of one Buffer, where ws would writev header and payload. */
  send(peer, data) {
    const socket = directSocket(peer);
    if (socket) socket.write(textFrame(data));
    else peer.send(data);
  },
};
