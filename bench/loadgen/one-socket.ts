// The load generator's ops on a single Parley socket: a closed-loop burst of
// sends (seeding a resume gap through the server) and a timed replay.
import { nowMs } from "../lib/stats.ts";
import { clientIdFor, padding, textFor } from "../lib/wire.ts";
import type { Request } from "./protocol.ts";

export type OneSocket = {
  send(frame: string): void;
  roomId: string;
  /** Hears every non-message frame of this socket; undefined stops listening. */
  listen(hear: ((frame: string) => void) | undefined): void;
};

/** Closed loop: keeps `window` sends in flight until `count` are acked; resolves with the ms. */
export function blast(socket: OneSocket, req: Extract<Request, { op: "blast" }>): Promise<number> {
  const pad = padding(req.textChars);
  let sent = 0;
  let acked = 0;
  const start = nowMs();
  const sendOne = () => {
    const at = nowMs();
    const clientId = clientIdFor(req.step, at, sent++);
    const text = textFor(req.step, at, pad);
    socket.send(JSON.stringify({ type: "send", roomId: socket.roomId, clientId, text }));
  };
  return new Promise((resolve) => {
    socket.listen((frame) => {
      if (!frame.startsWith('{"type":"ack"')) return;
      acked++;
      if (acked >= req.count) {
        socket.listen(undefined);
        resolve(nowMs() - start);
      } else if (sent < req.count) sendOne();
    });
    while (sent < Math.min(req.window, req.count)) sendOne();
  });
}

/** Subscribes with `afterSeq` and counts replayed messages until the `done` page. */
export function replay(
  socket: OneSocket,
  req: Extract<Request, { op: "replay" }>,
): Promise<{ ms: number; messages: number; frames: number }> {
  let messages = 0;
  let frames = 0;
  const start = nowMs();
  return new Promise((resolve) => {
    socket.listen((frame) => {
      if (!frame.startsWith('{"type":"history"')) return;
      // A real client parses every page; so does this one.
      const page = JSON.parse(frame) as { messages: unknown[]; done: boolean };
      frames++;
      messages += page.messages.length;
      if (page.done) {
        socket.listen(undefined);
        resolve({ ms: nowMs() - start, messages, frames });
      }
    });
    socket.send(
      JSON.stringify({ type: "subscribe", roomId: socket.roomId, afterSeq: req.afterSeq }),
    );
  });
}
