import type { RoomFrame, WireUser } from "../../protocol/frames";
import { mayLeave } from "../policy";
import { type Effect, type FrameDeps, refusalReply, roomFacts } from "./shared";

/** Leaves a room (any but the default one): every socket of the user stops receiving it. */
export async function leave(
  frame: Extract<RoomFrame, { type: "leave" }>,
  user: WireUser,
  deps: FrameDeps,
): Promise<Effect[]> {
  const { roomId } = frame;
  const { room, membership } = await roomFacts(deps, roomId, user.id);
  const allowed = mayLeave(room, membership);
  if (!allowed.ok) return refusalReply(allowed);
  await deps.rooms.leave(roomId, user.id);
  // After the commit: the user's sockets, the user's room list, the room's member list.
  return [
    { kind: "detach", userId: user.id, roomId },
    { kind: "user", userId: user.id, frame: { type: "room_removed", roomId } },
    { kind: "members", roomId },
  ];
}
