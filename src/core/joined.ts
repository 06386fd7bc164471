import type { RoomStore } from "../ports";
import type { Effect } from "./actions/shared";

/**
 * What follows people joining a room, whichever way they joined (an
 * invite over the socket, or a server function: created room, opened
 * room, "Join room", opened DM): each one's sockets enter the room's
 * topic and their room lists gain it, then the room hears its new member
 * list once.
 */
export async function joinedEffects(
  rooms: Pick<RoomStore, "summaryOf">,
  roomId: string,
  userIds: readonly string[],
): Promise<Effect[]> {
  const effects: Effect[] = [];
  for (const userId of userIds) {
    effects.push({ kind: "attach", userId, roomId });
    const room = await rooms.summaryOf(roomId, userId);
    if (room) effects.push({ kind: "user", userId, frame: { type: "room_added", room } });
  }
  effects.push({ kind: "members", roomId });
  return effects;
}
