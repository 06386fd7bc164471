import type { FanoutWriter, Sink } from "../../core/hub";
import { createWsInternals } from "./library-internals.server";

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

/** What a frame writer needs from library internals (library-internals.server.ts). */
type Internals = Pick<ReturnType<typeof createWsInternals>, "ready" | "queued">;

/**
 * Writes pre-built frames to crossws node peers' sockets, and falls back to
 * `peer.send(string)` where the socket is not reachable (other adapters,
 * test doubles, ws internals missing) or ws holds queued frames: a direct
 * write happens only while ws's sender has nothing queued (it queues only
 * while compressing or reading a Blob; otherwise it writes to the socket at
 * once), so frames land in the order of the calls. Queued bytes are the
 * socket's writable length plus ws's own queue, which is what ws's
 * bufferedAmount reports: direct writes count toward the slow-consumer
 * limit the same way.
 */
export function createFrameWriter(
  internals: Internals = createWsInternals(),
): FanoutWriter<Sink> & {
  send(peer: Sink, data: string): void;
  corked(peer: Sink, write: () => void): void;
} {
  return {
    prepare: textFrame,
    queued(peer) {
      return internals.queued(peer) ?? peer.bufferedAmount ?? 0;
    },
    write(peer, prepared, data) {
      const socket = internals.ready(peer);
      if (socket) socket.write(prepared as Buffer);
      else peer.send(data);
    },
    /** One frame to one peer: one write of one Buffer, where ws would writev header and payload. */
    send(peer, data) {
      const socket = internals.ready(peer);
      if (socket) socket.write(textFrame(data));
      else peer.send(data);
    },
    /**
     * Runs `write` with the peer's TCP socket corked, so the frames it
     * writes to that socket (a send's ack and read marker) leave in one
     * syscall instead of one each; order is kept (cork only batches).
     */
    corked(peer, write) {
      const socket = internals.ready(peer);
      if (!socket) return write();
      socket.cork();
      try {
        write();
      } finally {
        socket.uncork();
      }
    },
  };
}

/** The process's frame writer: checks ws's internals on the first crossws peer. */
export const frameWriter = createFrameWriter();
