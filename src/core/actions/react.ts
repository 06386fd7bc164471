import type { RoomFrame, WireUser } from "../../protocol/frames";
import { mayTouchMessages } from "../policy";
import { changed } from "./change";
import { type Effect, type FrameDeps, refusalReply, roomFacts } from "./shared";

/** Adds the user's reaction to a message, or takes it back; the store answers not_found for a gone message. */
export async function react(
  frame: Extract<RoomFrame, { type: "react" }>,
  user: WireUser,
  deps: FrameDeps,
): Promise<Effect[]> {
  const { roomId, messageId, emoji } = frame;
  const { room, membership } = await roomFacts(deps, roomId, user.id);
  // mayReact's message half is the store's: a gone message is not_found.
  const allowed = mayTouchMessages(room, membership);
  if (!allowed.ok) return refusalReply(allowed);
  return changed(roomId, await deps.messages.toggleReaction(roomId, messageId, user.id, emoji));
}
