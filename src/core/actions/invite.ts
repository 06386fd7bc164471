import type { RoomFrame, WireUser } from "../../protocol/frames";
import { normalizeHandle } from "../handles";
import { joinedEffects } from "../joined";
import { mayInvite, mayInvitePerson, type Refusal } from "../policy";
import { type Effect, type FrameDeps, refusalReply, roomFacts } from "./shared";

/**
 * The one person an invite names: by id, by handle, or by a name exactly one person
 * has. Several people with the name is a refusal, never a guess (an
 * attacker can sign up with anybody's name).
 */
async function invitee(
  frame: Extract<RoomFrame, { type: "invite" }>,
  deps: FrameDeps,
): Promise<{ ok: true; person: WireUser } | Refusal> {
  if (frame.userId !== undefined) {
    const person = await deps.users.findById(frame.userId);
    return person
      ? { ok: true, person }
      : { ok: false, code: "not_found", message: "no such person" };
  }
  if (frame.userHandle !== undefined) {
    const handle = normalizeHandle(frame.userHandle);
    const person = await deps.users.findByHandle(handle);
    return person
      ? { ok: true, person }
      : { ok: false, code: "not_found", message: `nobody has the handle @${handle}` };
  }
  if (frame.userName === undefined) {
    return { ok: false, code: "bad_frame", message: "say whom to invite (userId)" };
  }
  const found = await deps.users.findByName(frame.userName, 2);
  const [person] = found;
  if (!person)
    return { ok: false, code: "not_found", message: `nobody is called "${frame.userName}"` };
  if (found.length > 1) {
    return {
      ok: false,
      code: "bad_frame",
      message: `more than one person is called "${frame.userName}": pick the one you mean from the list`,
    };
  }
  return { ok: true, person };
}

/**
 * Invites a person into a room: check (mayInvite on the room, the person
 * named once, mayInvitePerson on their blocks, the hourly limit), then do
 * (join), then the events (attach their sockets, add the room to their
 * list, tell the room). Inviting a member is a no-op that costs nothing.
 */
export async function invite(
  frame: Extract<RoomFrame, { type: "invite" }>,
  user: WireUser,
  deps: FrameDeps,
): Promise<Effect[]> {
  const { roomId } = frame;
  const { room, membership } = await roomFacts(deps, roomId, user.id);
  const allowed = mayInvite(room, membership);
  if (!allowed.ok) return refusalReply(allowed);
  const found = await invitee(frame, deps);
  if (!found.ok) return refusalReply(found);
  const { person } = found;
  if (await deps.rooms.isMember(roomId, person.id)) return [];
  const [blocksActor, standing] = await Promise.all([
    deps.users.isBlocked(person.id, user.id),
    deps.moderation?.standing(roomId, person.id),
  ]);
  const banned = standing?.membership.member === false && standing.membership.banned === true;
  const welcome = mayInvitePerson({ name: person.name, blocksActor, banned });
  if (!welcome.ok) return refusalReply(welcome);
  const wait = deps.limits?.take("invite", user.id) ?? 0;
  if (wait > 0) {
    const minutes = Math.ceil(wait / 60_000);
    return [
      {
        kind: "reply",
        frame: {
          type: "error",
          code: "rate_limited",
          message: `too many invites: try again in ${minutes} min`,
          retryAfterMs: wait,
        },
      },
    ];
  }
  await deps.rooms.join(roomId, person.id);
  return joinedEffects(deps.rooms, roomId, [person.id]);
}
