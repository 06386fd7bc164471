import type { RoomFrame, WireUser } from "../../protocol/frames";
import { mayDelete, mayTouchMessages } from "../policy";
import { changed } from "./change";
import { type Effect, type FrameDeps, refusalReply, roomFacts } from "./shared";

/**
 * Deletes a message: as edit, with mayDelete (its seq stays, its text,
 * reactions and files go). The store deletes the file rows in the delete's
 * transaction and answers their blob keys; the edge deletes the blobs after
 * commit (the `forget_blobs` effect of changed()). Moderators and admins
 * delete others' messages too; the store records who did (deleted_by) and
 * writes the "message.delete" audit row in the same transaction.
 */
export async function remove(
  frame: Extract<RoomFrame, { type: "delete" }>,
  user: WireUser,
  deps: FrameDeps,
): Promise<Effect[]> {
  const { roomId, messageId } = frame;
  const { room, membership, serverRole } = await roomFacts(deps, roomId, user.id);
  const asMember = mayTouchMessages(room, membership);
  if (!asMember.ok) return refusalReply(asMember);
  // A moderator's deletion of another's message is marked and audited in the store.
  const result = await deps.messages.remove(
    roomId,
    messageId,
    (message) => mayDelete(room, membership, message, user.id, serverRole),
    user.id,
  );
  return changed(roomId, result);
}
