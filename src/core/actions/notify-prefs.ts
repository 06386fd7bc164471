import type { ActionFrame, WireUser } from "../../protocol/frames";
import { mayView } from "../policy";
import { type Effect, type FrameDeps, refusalReply, roomFacts } from "./shared";

/**
 * Sets the user's level and mute for a room (issue 13): check (mayView: a
 * member, like reading it), do (the notify store), then tell every socket
 * of the user, so their other tabs and devices agree at once.
 */
export async function notifyPrefs(
  frame: Extract<ActionFrame, { type: "notify_prefs" }>,
  user: WireUser,
  deps: FrameDeps,
): Promise<Effect[]> {
  const { roomId, level, muted } = frame;
  const { room, membership } = await roomFacts(deps, roomId, user.id);
  const allowed = mayView(room, membership);
  if (!allowed.ok) return refusalReply(allowed);
  const notify = await deps.notify.setRoom(roomId, user.id, { level, muted });
  // Left between the check and the write: as if they had never been a member.
  if (!notify) return refusalReply({ ok: false, code: "not_found", message: "no such room" });
  return [{ kind: "user", userId: user.id, frame: { type: "notify_prefs", roomId, notify } }];
}

/** Replaces the user's notification settings and tells every socket of theirs. */
export async function notifySettings(
  frame: Extract<ActionFrame, { type: "notify_settings" }>,
  user: WireUser,
  deps: FrameDeps,
): Promise<Effect[]> {
  await deps.notify.setSettings(user.id, frame.settings);
  return [
    {
      kind: "user",
      userId: user.id,
      frame: { type: "notify_settings", settings: frame.settings },
    },
  ];
}
