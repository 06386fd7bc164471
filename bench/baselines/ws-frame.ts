// Baseline "ws-frame": the frame (header + UTF-8 payload) is built once per
// broadcast with ws's own `WebSocket.Sender.frame` and the same Buffer is
// written straight to every peer's TCP socket, skipping ws's per-socket
// framing and string encoding. Safe here because compression is off, so
// ws's Sender never holds a frame back that this write could overtake.
import type { Socket } from "node:net";
import * as ws from "ws";
import { startWsBaseline } from "./ws-common.ts";

// @types/ws does not declare the Sender class that ws exports.
type Framer = { frame(data: Buffer, options: object): Buffer[] };
const { Sender } = ws as unknown as { Sender: Framer };
const TEXT = 1;

startWsBaseline((peers, except, message) => {
  const parts = Sender.frame(Buffer.from(message), {
    fin: true,
    opcode: TEXT,
    mask: false,
    readOnly: false,
    rsv1: false,
  });
  const frame = Buffer.concat(parts);
  for (const peer of peers) {
    if (peer === except || peer.readyState !== ws.WebSocket.OPEN) continue;
    (peer as unknown as { _socket: Socket })._socket.write(frame);
  }
});
