import type { RoomFrame, WireUser } from "../../protocol/frames";
import { mayType } from "../policy";
import { type Effect, type FrameDeps, refusalReply, roomFacts } from "./shared";

/** Relays "typing" to the room's other sockets; never stored. */
export async function typing(
  frame: Extract<RoomFrame, { type: "typing" }>,
  user: WireUser,
  deps: FrameDeps,
): Promise<Effect[]> {
  const { roomId } = frame;
  const { room, membership } = await roomFacts(deps, roomId, user.id);
  const allowed = mayType(room, membership);
  if (!allowed.ok) return refusalReply(allowed);
  return [{ kind: "publish", roomId, frame: { type: "typing", roomId, user }, exceptSelf: true }];
}
