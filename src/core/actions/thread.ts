import { type RoomFrame, THREAD_PAGE, type WireUser } from "../../protocol/frames";
import { mayFollow, mayViewThread } from "../policy";
import { type Effect, type FrameDeps, refusalReply, roomFacts } from "./shared";

/** Opens a thread the user may view: its root, a page of replies and the user's state. */
export async function thread(
  frame: Extract<RoomFrame, { type: "thread" }>,
  user: WireUser,
  deps: FrameDeps,
): Promise<Effect[]> {
  const { roomId, rootId } = frame;
  const { room, membership } = await roomFacts(deps, roomId, user.id);
  const allowed = mayViewThread(room, membership);
  if (!allowed.ok) return refusalReply(allowed);
  const page = await deps.threads.page(roomId, rootId, frame.afterSeq ?? 0, THREAD_PAGE);
  if (!page) return refusalReply({ ok: false, code: "not_found", message: "no such thread" });
  if (page.root.threadRootId !== undefined) {
    const message = "a reply is not a thread: open its root";
    return refusalReply({ ok: false, code: "bad_frame", message });
  }
  const state = await deps.threads.state(roomId, rootId, user.id);
  return [{ kind: "reply", frame: { type: "thread_history", roomId, ...page, state } }];
}

/** Moves the user's thread read marker (never back) and tells all their sockets. */
export async function threadRead(
  frame: Extract<RoomFrame, { type: "thread_read" }>,
  user: WireUser,
  deps: FrameDeps,
): Promise<Effect[]> {
  const { roomId, rootId } = frame;
  const { room, membership } = await roomFacts(deps, roomId, user.id);
  const allowed = mayViewThread(room, membership);
  if (!allowed.ok) return refusalReply(allowed);
  const state = await deps.threads.markRead(roomId, rootId, user.id, frame.seq);
  return [{ kind: "user", userId: user.id, frame: { type: "thread_state", state } }];
}

/** "Follow thread" / "Unfollow thread": the new state goes to all the user's sockets. */
export async function follow(
  frame: Extract<RoomFrame, { type: "follow" }>,
  user: WireUser,
  deps: FrameDeps,
): Promise<Effect[]> {
  const { roomId, rootId } = frame;
  const { room, membership } = await roomFacts(deps, roomId, user.id);
  const asMember = mayViewThread(room, membership);
  if (!asMember.ok) return refusalReply(asMember);
  const allowed = mayFollow(room, membership, await deps.threads.rootFacts(roomId, rootId));
  if (!allowed.ok) return refusalReply(allowed);
  const state = await deps.threads.follow(roomId, rootId, user.id, frame.following);
  return [{ kind: "user", userId: user.id, frame: { type: "thread_state", state } }];
}
