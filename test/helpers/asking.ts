import { randomUUID } from "node:crypto";
import type { WireMessage } from "../../src/protocol/frames";
import type { Frame, TestSocket } from "./clients";

// Frames sent the way the product's client sends them: with a `ref`, settled
// on the one answer (ok, ack or error) that carries it (Core v2).

/** Sends a frame with a fresh ref; resolves with its one answer (ok, ack or error). */
export async function ask(socket: TestSocket, frame: object): Promise<Frame> {
  const ref = randomUUID();
  socket.send({ ...frame, ref });
  return socket.next((f) => ["ok", "ack", "error"].includes(f.type) && f.ref === ref);
}

/** Sends a thread reply and resolves with the stored message (throws on a refusal). */
export async function replyInThread(
  socket: TestSocket,
  roomId: string,
  rootId: string,
  text: string,
  alsoToRoom = false,
): Promise<WireMessage> {
  const answer = await ask(socket, {
    type: "send",
    roomId,
    clientId: randomUUID(),
    text,
    threadRootId: rootId,
    alsoToRoom,
  });
  if (answer.type !== "ack") throw new Error(`reply refused: ${JSON.stringify(answer)}`);
  return answer.message as WireMessage;
}

/** Subscribes (optionally resuming `from` a seq and rev); resolves with this subscribe's `subscribed`. */
export async function subscribeTo(
  socket: TestSocket,
  roomId: string,
  from: { afterSeq?: number; afterRev?: number } = {},
): Promise<Frame & { lastSeq: number; lastRev: number }> {
  const start = socket.frames.length;
  socket.send({ type: "subscribe", roomId, ...from });
  const subscribed = await socket.next(
    (f) => f.type === "subscribed" && f.roomId === roomId && socket.frames.indexOf(f) >= start,
  );
  return subscribed as Frame & { lastSeq: number; lastRev: number };
}
