import { createServerFn } from "@tanstack/react-start";
import { z } from "zod";
import { mayArchive, moderatesRoom } from "../../core/policy";
import { requireUser } from "./auth-guard.server";
import { announceRoomUpdated } from "./room-admin.server";

const roomId = z.string().min(1).max(64);

/**
 * Archives a room (read-only, out of every room list and the directory,
 * still searchable and readable by URL for its members) or brings it back
 * (issue 14): the room's moderators and the server's admins (core/policy
 * mayArchive; roles read now). The change and its audit row commit
 * together (RoomAdminStore.setArchived); then every member hears
 * `room_updated`.
 */
export const setRoomArchivedFn = createServerFn({ method: "POST" })
  .validator(z.object({ roomId, archived: z.boolean() }))
  .handler(async ({ data }) => {
    const { runtime, user } = await requireUser();
    const { rooms, roomAdmin } = runtime.storage;
    const [room, standing] = await Promise.all([
      rooms.getRoom(data.roomId),
      roomAdmin.standing(data.roomId, user.id),
    ]);
    // Someone who may not see the room learns nothing of it.
    if (room && room.kind !== "public" && !standing.roomRole && !moderatesRoom(standing)) {
      return { ok: false as const, error: "No such room." };
    }
    const allowed = mayArchive(room, standing);
    if (!allowed.ok) return { ok: false as const, error: allowed.message };
    const result = await roomAdmin.setArchived(data.roomId, data.archived, user.id);
    if (!result.ok) return { ok: false as const, error: "No such room." };
    if (result.changed) await announceRoomUpdated(runtime, data.roomId);
    return { ok: true as const, archived: data.archived };
  });
