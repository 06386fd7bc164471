import type { RoomFrame, WireUser } from "../../protocol/frames";
import { mayModerate } from "../policy";
import { type Effect, type FrameDeps, refusalReply } from "./shared";

/**
 * A moderator (or an admin) acts on a member: check (mayModerate on the
 * actor's and the target's standing and server roles, all read fresh from
 * the database), do (ModerationStore.apply: the change and its audit row in
 * one transaction), then the events after commit. Remove and ban take the
 * member's sockets out of the room's topic on every instance (`detach`, as
 * leave does), tell them why (`room_removed` with the reason) and give the
 * room its new member list; mute, unmute and role changes reach the room as
 * `member_updated`. A change that was so already answers ok and tells nobody.
 */
export async function moderate(
  frame: Extract<RoomFrame, { type: "moderate" }>,
  user: WireUser,
  deps: FrameDeps,
): Promise<Effect[]> {
  const { roomId, userId, action } = frame;
  const { moderation } = deps;
  if (!moderation) {
    return refusalReply({ ok: false, code: "internal", message: "moderation is not available" });
  }
  const [room, actor, target] = await Promise.all([
    deps.rooms.getRoom(roomId),
    moderation.standing(roomId, user.id),
    userId === user.id ? undefined : moderation.standing(roomId, userId),
  ]);
  const allowed = mayModerate(room, action, {
    actorId: user.id,
    actorRole: actor?.serverRole ?? "member",
    actor: actor?.membership ?? { member: false },
    targetId: userId,
    target: target && {
      name: target.name,
      serverRole: target.serverRole,
      standing: target.membership,
    },
  });
  if (!allowed.ok) return refusalReply(allowed);
  const outcome = await moderation.apply(roomId, userId, action, user.id);
  if (!outcome.changed) return [];
  switch (action) {
    case "remove":
    case "ban": {
      const effects: Effect[] = [{ kind: "detach", userId, roomId }];
      if (target?.membership.member) {
        const reason = action === "ban" ? "banned" : "removed";
        effects.push(
          { kind: "user", userId, frame: { type: "room_removed", roomId, reason } },
          { kind: "members", roomId },
        );
      }
      return effects;
    }
    case "unban":
      return [];
    default:
      return [
        {
          kind: "publish",
          roomId,
          exceptSelf: false,
          frame: {
            type: "member_updated",
            roomId,
            userId,
            role: outcome.role,
            modMuted: outcome.modMuted,
          },
        },
      ];
  }
}
