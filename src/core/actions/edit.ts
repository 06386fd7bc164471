import type { RoomFrame, WireUser } from "../../protocol/frames";
import { mayEdit, mayTouchMessages } from "../policy";
import { changed } from "./change";
import { type Effect, type FrameDeps, refusalReply, roomFacts } from "./shared";

/**
 * Edits a message: the member check first, then the store reads the
 * message's author inside the change's transaction and asks mayEdit.
 */
export async function edit(
  frame: Extract<RoomFrame, { type: "edit" }>,
  user: WireUser,
  deps: FrameDeps,
): Promise<Effect[]> {
  const { roomId, messageId, text } = frame;
  const { room, membership } = await roomFacts(deps, roomId, user.id);
  const asMember = mayTouchMessages(room, membership);
  if (!asMember.ok) return refusalReply(asMember);
  const result = await deps.messages.edit(roomId, messageId, text, (message) =>
    mayEdit(room, membership, message, user.id),
  );
  return changed(roomId, result);
}
