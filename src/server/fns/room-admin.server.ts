import { roomUpdatedEffects } from "../../core/actions/room-settings";
import { toRoomUpdate } from "../../core/room-settings";
import type { Runtime } from "../runtime.server";
import { getRealtime } from "../ws/realtime.server";

/**
 * What follows a committed change of a room's settings made outside the
 * socket (archive, unarchive; the admin console calls it too after
 * storage.roomAdmin.setArchived): every member's sockets on every instance
 * hear `room_updated` with the room as now stored, which takes an archived
 * room out of their lists (and brings an unarchived one back) at once. The
 * change is committed already: a failure here is logged, and tabs catch up
 * on their next `ready`.
 */
export async function announceRoomUpdated(runtime: Runtime, roomId: string): Promise<void> {
  try {
    const room = await runtime.storage.rooms.getRoom(roomId);
    if (!room) return;
    const { runner } = await getRealtime();
    await runner.apply(roomUpdatedEffects(toRoomUpdate(room)));
  } catch (error) {
    runtime.log.error("room updated effects failed", { roomId, error: String(error) });
  }
}
