import type { RoomFrame, WireUser } from "../../protocol/frames";
import { mayPin, mayTouchMessages } from "../policy";
import { changed } from "./change";
import { type Effect, type FrameDeps, refusalReply, roomFacts } from "./shared";

/**
 * Pins or unpins a message: the member check first (a non-member learns
 * nothing about the room's messages), then the store asks mayPin on the
 * message inside the change's transaction; everyone, sender included, gets
 * the message as `updated`.
 */
export async function pin(
  frame: Extract<RoomFrame, { type: "pin" }>,
  user: WireUser,
  deps: FrameDeps,
): Promise<Effect[]> {
  const { roomId, messageId, pinned } = frame;
  const { room, membership } = await roomFacts(deps, roomId, user.id);
  const asMember = mayTouchMessages(room, membership);
  if (!asMember.ok) return refusalReply(asMember);
  const result = await deps.messages.pin(roomId, messageId, pinned, user.id, (message) =>
    mayPin(room, membership, message),
  );
  return changed(roomId, result);
}
