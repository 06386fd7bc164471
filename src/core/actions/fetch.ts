import type { RoomFrame, WireUser } from "../../protocol/frames";
import { mayView } from "../policy";
import { fetchRange } from "../replay";
import { type Effect, type FrameDeps, refusalReply, roomFacts } from "./shared";

/** Fills a gap in a room the user may view: one bounded range (FETCH_LIMIT); the client pages on. */
export async function fetch(
  frame: Extract<RoomFrame, { type: "fetch" }>,
  user: WireUser,
  deps: FrameDeps,
): Promise<Effect[]> {
  const { roomId, afterSeq, beforeSeq } = frame;
  const { room, membership } = await roomFacts(deps, roomId, user.id);
  const allowed = mayView(room, membership);
  if (!allowed.ok) return refusalReply(allowed);
  const { lastSeq } = await deps.messages.position(roomId);
  const { untilSeq, more } = fetchRange(afterSeq, beforeSeq, lastSeq);
  return [{ kind: "fetch", roomId, afterSeq, untilSeq, more }];
}
