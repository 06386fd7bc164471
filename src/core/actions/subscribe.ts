import type { RoomFrame, WireUser } from "../../protocol/frames";
import { mayView } from "../policy";
import { type Effect, type FrameDeps, refusalReply, roomFacts } from "./shared";

/** Subscribes the socket to a room it may view, resuming from the position it names. */
export async function subscribe(
  frame: Extract<RoomFrame, { type: "subscribe" }>,
  user: WireUser,
  deps: FrameDeps,
): Promise<Effect[]> {
  const { room, membership } = await roomFacts(deps, frame.roomId, user.id);
  const allowed = mayView(room, membership);
  if (!allowed.ok) return refusalReply(allowed);
  const { roomId, afterSeq, afterRev } = frame;
  // The replay and the member announcement run at the edge, which owns the socket.
  return [{ kind: "subscribe", roomId, afterSeq, afterRev }];
}
