import type { RoomFrame, RoomUpdate, WireUser } from "../../protocol/frames";
import { mayChangeRoomSettings, type Refusal } from "../policy";
import { checkRoomSettings } from "../room-settings";
import { type Effect, type FrameDeps, refusalReply } from "./shared";

/**
 * Changes a room's settings (issue 14): name, topic, announcement-only.
 * Check: the room exists and is no DM, and the actor moderates it or the
 * server (roles read now, never cached), then the values' rules
 * (core/room-settings). Do: RoomAdminStore.setSettings, the change and its
 * audit rows in one transaction. Events: `room_updated` to every member's
 * sockets (the room's topic, every instance), sender included.
 */
export async function roomSettings(
  frame: Extract<RoomFrame, { type: "room_settings" }>,
  user: WireUser,
  deps: FrameDeps,
): Promise<Effect[]> {
  const { roomId } = frame;
  const admin = deps.roomAdmin;
  if (!admin) {
    return refusalReply({ ok: false, code: "internal", message: "room settings are unavailable" });
  }
  const [room, standing] = await Promise.all([
    deps.rooms.getRoom(roomId),
    admin.standing(roomId, user.id),
  ]);
  const allowed = mayChangeRoomSettings(room, standing);
  if (!allowed.ok) return refusalReply(allowed);
  const patch = {
    ...(frame.name !== undefined && { name: frame.name }),
    ...(frame.topic !== undefined && { topic: frame.topic }),
    ...(frame.announcementOnly !== undefined && { announcementOnly: frame.announcementOnly }),
  };
  const checked = checkRoomSettings(patch);
  if (!checked.ok) return refusalReply(badFrame(checked.error));
  // A private room's name is not compared with others (it has no skeleton).
  const result = await admin.setSettings(roomId, checked.settings, user.id);
  if (!result.ok) {
    if (result.code === "not_found") return refusalReply(noRoom);
    if (result.code === "lookalike") {
      return refusalReply(
        badFrame(
          `"${checked.settings.name?.name}" looks like the existing room "${result.existing}". Pick a name that reads differently.`,
        ),
      );
    }
    return refusalReply(badFrame(`A room called "${checked.settings.name?.name}" already exists.`));
  }
  return result.changed ? roomUpdatedEffects(result.room) : [];
}

const noRoom: Refusal = { ok: false, code: "not_found", message: "no such room" };
const badFrame = (message: string): Refusal => ({ ok: false, code: "bad_frame", message });

/** What every member hears after a room's settings changed (a settings frame, an archive). */
export function roomUpdatedEffects(room: RoomUpdate): Effect[] {
  return [
    {
      kind: "publish",
      roomId: room.id,
      frame: { type: "room_updated", room },
      exceptSelf: false,
    },
  ];
}
