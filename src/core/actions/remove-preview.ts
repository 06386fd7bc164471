import type { RoomFrame, WireUser } from "../../protocol/frames";
import { mayRemovePreview, mayTouchMessages } from "../policy";
import { changed } from "./change";
import { type Effect, type FrameDeps, refusalReply, roomFacts } from "./shared";

/**
 * The author removes their message's link preview: the member check first
 * (a non-member learns nothing of the room's messages), then the store asks
 * mayRemovePreview on the message inside the change's transaction and marks
 * the preview removed (so a fetch still running attaches nothing). After
 * commit the room gets the message as `updated`, and the image's blobs go.
 */
export async function removePreview(
  frame: Extract<RoomFrame, { type: "remove_preview" }>,
  user: WireUser,
  deps: FrameDeps,
): Promise<Effect[]> {
  const { roomId, messageId } = frame;
  const { room, membership } = await roomFacts(deps, roomId, user.id);
  const asMember = mayTouchMessages(room, membership);
  if (!asMember.ok) return refusalReply(asMember);
  const result = await deps.messages.removePreview(roomId, messageId, (message) =>
    mayRemovePreview(room, membership, message, user.id),
  );
  const effects = changed(roomId, result);
  if (result.ok && result.blobKeys.length > 0) {
    effects.push({ kind: "forget_blobs", keys: result.blobKeys });
  }
  return effects;
}
