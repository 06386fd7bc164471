import { MEMBERS_PAGE, type RoomFrame, type WireUser } from "../../protocol/frames";
import { mayView } from "../policy";
import { type Effect, type FrameDeps, refusalReply, roomFacts } from "./shared";

/**
 * The next page of a large room's member list (issue 16), with who is
 * online, for someone who may view the room. `more` while a full page came
 * back: the page after the last may be empty, which is cheaper than a count.
 */
export async function membersPage(
  frame: Extract<RoomFrame, { type: "members" }>,
  user: WireUser,
  deps: FrameDeps,
): Promise<Effect[]> {
  const { roomId, afterId } = frame;
  const { room, membership } = await roomFacts(deps, roomId, user.id);
  const allowed = mayView(room, membership);
  if (!allowed.ok) return refusalReply(allowed);
  const page = await deps.rooms.membersPage(roomId, { afterId, limit: MEMBERS_PAGE });
  // Without a presence port (some tests) nobody counts as online.
  const online = (await deps.presence?.onlineAmong(page.map((m) => m.id))) ?? new Set<string>();
  const members = page.map((m) => ({ ...m, online: online.has(m.id) }));
  const more = page.length === MEMBERS_PAGE;
  return [{ kind: "reply", frame: { type: "members", roomId, members, page: { more } } }];
}
