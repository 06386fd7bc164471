import type { MessageStore, RoomStore } from "../ports";
import type { ClientFrame, ServerFrame, WireMessage, WireUser } from "../protocol/frames";

/** What the edge must do after a frame: the core decides, the ws layer performs. */
export type Outcome =
  | { kind: "reply"; frame: ServerFrame }
  | { kind: "stored"; ack: ServerFrame; message: WireMessage; duplicate: boolean }
  | { kind: "subscribe"; roomId: string };

export type FrameDeps = { rooms: RoomStore; messages: MessageStore };

/** Applies one decoded client frame for `user`: authorises, then stores or subscribes. */
export async function handleFrame(
  frame: ClientFrame,
  user: WireUser,
  deps: FrameDeps,
): Promise<Outcome> {
  switch (frame.type) {
    case "send": {
      // Membership is checked on every frame, not only when subscribing.
      if (!(await deps.rooms.isMember(frame.roomId, user.id))) {
        return refuse(frame.roomId, deps, "you are not a member of this room", frame.clientId);
      }
      const { message, duplicate } = await deps.messages.append({
        roomId: frame.roomId,
        author: user,
        clientId: frame.clientId,
        text: frame.text,
      });
      return {
        kind: "stored",
        ack: { type: "ack", clientId: frame.clientId, message },
        message,
        duplicate,
      };
    }
    case "subscribe": {
      if (!(await deps.rooms.isMember(frame.roomId, user.id))) {
        return refuse(frame.roomId, deps, "open the room to join it before subscribing");
      }
      return { kind: "subscribe", roomId: frame.roomId };
    }
  }
}

async function refuse(
  roomId: string,
  deps: FrameDeps,
  why: string,
  clientId?: string,
): Promise<Outcome> {
  const exists = (await deps.rooms.getRoom(roomId)) !== undefined;
  return {
    kind: "reply",
    frame: exists
      ? { type: "error", code: "forbidden", message: why, clientId }
      : { type: "error", code: "not_found", message: "no such room", clientId },
  };
}
