import type { Runtime } from "../runtime.server";

/**
 * Where a guest lands instead of the default room (issue 14: guests are in
 * the rooms they were invited to only): their first live room, or the
 * directory, which then says they have not been invited to any rooms yet.
 */
export async function guestLandingOf(runtime: Runtime, userId: string): Promise<string> {
  const rooms = await runtime.storage.rooms.summariesOf(userId);
  const first =
    rooms.find((room) => !room.archived && room.kind !== "dm") ??
    rooms.find((room) => !room.archived);
  return first ? `/r/${encodeURIComponent(first.slug)}` : "/rooms";
}
