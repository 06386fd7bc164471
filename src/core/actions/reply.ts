import type { RoomFrame, WireUser } from "../../protocol/frames";
import { resolveMentions, unresolvedMentions } from "../mentions";
import { mayReplyInThread, membershipOf } from "../policy";
import { attaching, isRefusal } from "./attach";
import { previewOf } from "./preview";
import { type Effect, type FrameDeps, refusalReply } from "./shared";

/**
 * Stores a reply in a thread (a `send` naming `threadRootId`): the store
 * asks mayReplyInThread inside the reply's transaction (membership and the
 * root read there), so a member who just left, or a root deleted a moment
 * ago, is refused. After commit: the ack, the reply to the room (every open
 * client's log stays contiguous by seq), the root's new summary to
 * everyone, and the thread state of those whose follow or marker moved.
 * Its files are claimed in the same transaction, as a send's.
 */
export async function reply(
  frame: Extract<RoomFrame, { type: "send" }> & { threadRootId: string },
  user: WireUser,
  deps: FrameDeps,
): Promise<Effect[]> {
  const { roomId, clientId, threadRootId } = frame;
  const alsoInRoom = frame.alsoToRoom === true;
  const files = attaching(frame.fileIds, user.id);
  if (isRefusal(files)) return refusalReply(files, clientId);
  // The room's facts word the refusal; the decision's membership is the transaction's.
  const room = await deps.rooms.getRoom(roomId);
  const members = frame.text.includes("@") ? await deps.rooms.members(roomId) : [];
  const mentions = resolveMentions(frame.text, members);
  const result = await deps.threads.reply(
    {
      roomId,
      author: user,
      clientId,
      text: frame.text,
      mentions,
      threadRootId,
      alsoInRoom,
      ...(files && { files }),
    },
    ({ member, modMuted, root, post }) =>
      mayReplyInThread(
        room && post
          ? { ...room, archived: post.archived, announcementOnly: post.announcement }
          : room,
        member ? { member: true, role: "member", modMuted } : membershipOf(false),
        root,
        post?.moderates,
      ),
  );
  if (!result.ok) {
    const refusal =
      result.reason === "refused"
        ? result.refusal
        : mayReplyInThread(undefined, membershipOf(false), undefined);
    if (refusal.ok) throw new Error("mayReplyInThread allowed what the store refused");
    return refusalReply(refusal, clientId);
  }
  const { message, root, duplicate } = result;
  const unresolved = unresolvedMentions(frame.text, members);
  const ack = { type: "ack" as const, clientId, message };
  const effects: Effect[] = [
    { kind: "reply", frame: unresolved.length > 0 ? { ...ack, unresolved } : ack },
  ];
  // A retry was published the first time (see send).
  if (duplicate) return effects;
  effects.push(
    { kind: "publish", roomId, frame: { type: "message", message }, exceptSelf: true },
    { kind: "publish", roomId, frame: { type: "updated", message: root }, exceptSelf: false },
  );
  if (alsoInRoom) {
    effects.push({
      kind: "user",
      userId: user.id,
      frame: { type: "read", roomId, seq: message.seq },
    });
  }
  // The replier's marker moved; the root's author and the mentioned may
  // have started following: each hears their state on all their devices.
  const concerned = [...new Set([user.id, root.author.id, ...mentions])];
  for (const userId of concerned) {
    const state = await deps.threads.state(roomId, threadRootId, userId);
    if (state.following || userId === user.id) {
      effects.push({ kind: "user", userId, frame: { type: "thread_state", state } });
    }
  }
  effects.push(...previewOf(message));
  effects.push({ kind: "notify", op: "stored", roomId, message, mentions });
  return effects;
}
