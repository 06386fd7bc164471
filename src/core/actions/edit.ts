import type { RoomFrame, WireUser } from "../../protocol/frames";
import { mayEdit, mayTouchMessages } from "../policy";
import { attaching, isRefusal } from "./attach";
import { changed } from "./change";
import { type Effect, type FrameDeps, refusalReply, roomFacts } from "./shared";

/**
 * Edits a message: the member check first, then the store reads the
 * message's author inside the change's transaction and asks mayEdit. With
 * `fileIds`, the same transaction makes them the message's files (new
 * ones claimed, mayAttach wording a refusal; dropped ones deleted, their
 * blobs forgotten after commit).
 */
export async function edit(
  frame: Extract<RoomFrame, { type: "edit" }>,
  user: WireUser,
  deps: FrameDeps,
): Promise<Effect[]> {
  const { roomId, messageId, text, fileIds } = frame;
  const { room, membership } = await roomFacts(deps, roomId, user.id);
  const asMember = mayTouchMessages(room, membership);
  if (!asMember.ok) return refusalReply(asMember);
  const files = attaching(fileIds, user.id);
  if (isRefusal(files)) return refusalReply(files);
  const result = await deps.messages.edit(
    roomId,
    messageId,
    text,
    (message) => mayEdit(room, membership, message, user.id),
    files,
  );
  return changed(roomId, result);
}
