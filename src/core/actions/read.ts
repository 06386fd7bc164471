import type { RoomFrame, WireUser } from "../../protocol/frames";
import { mayView } from "../policy";
import { type Effect, type FrameDeps, refusalReply, roomFacts } from "./shared";

/** Moves the user's read marker (never back) and tells all of their sockets where it is. */
export async function read(
  frame: Extract<RoomFrame, { type: "read" }>,
  user: WireUser,
  deps: FrameDeps,
): Promise<Effect[]> {
  const { roomId } = frame;
  const { room, membership } = await roomFacts(deps, roomId, user.id);
  const allowed = mayView(room, membership);
  if (!allowed.ok) return refusalReply(allowed);
  const seq = await deps.rooms.markRead(roomId, user.id, frame.seq);
  return [
    { kind: "user", userId: user.id, frame: { type: "read", roomId, seq } },
    { kind: "notify", op: "read", userId: user.id, roomId, seq },
  ];
}
