import { GENERAL_ROOM } from "../../core/rooms";
import type { Runtime } from "../runtime.server";
import { applyJoined } from "./joined.server";

/**
 * Makes the user a member of the default room ("general") if they are not
 * yet. Nobody may leave it, but an account joined it only by visiting it,
 * and since the sidebar lists joined rooms only (issue 17), someone who
 * first followed a link elsewhere would have no #general. Called by every
 * page that lists the sidebar, before it reads the list; the user's open
 * sockets get it live (room_added).
 */
export async function joinDefaultRoom(runtime: Runtime, userId: string): Promise<void> {
  const { rooms, roomAdmin } = runtime.storage;
  // Guests are in the rooms they were invited to only (issue 14), not general.
  if ((await roomAdmin.serverRole(userId)) === "guest") return;
  const general = await rooms.getRoomBySlug(GENERAL_ROOM.slug);
  if (!general?.isDefault || (await rooms.isMember(general.id, userId))) return;
  await rooms.join(general.id, userId);
  await applyJoined(runtime, general.id, [userId]);
}
