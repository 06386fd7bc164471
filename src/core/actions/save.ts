import type { RoomFrame, WireUser } from "../../protocol/frames";
import { maySave } from "../policy";
import { type Effect, type FrameDeps, refusalReply, roomFacts } from "./shared";

/**
 * Saves a message for the user, or unsaves it: check (maySave: they can see
 * the room), do (the saved store; saving a gone message is not_found),
 * then tell every socket of the user, so their other tabs and devices agree.
 */
export async function save(
  frame: Extract<RoomFrame, { type: "save" }>,
  user: WireUser,
  deps: FrameDeps,
): Promise<Effect[]> {
  const { roomId, messageId, saved } = frame;
  const { room, membership } = await roomFacts(deps, roomId, user.id);
  const allowed = maySave(room, membership);
  if (!allowed.ok) return refusalReply(allowed);
  if ((await deps.saved.save(user.id, roomId, messageId, saved)) === "not_found") {
    return refusalReply({ ok: false, code: "not_found", message: "no such message" });
  }
  return [{ kind: "user", userId: user.id, frame: { type: "saved", roomId, messageId, saved } }];
}
