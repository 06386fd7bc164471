import { type RoomFrame, THREAD_PAGE, type WireUser } from "../../protocol/frames";
import { mayFollow, mayViewThread } from "../policy";
import { type Effect, type Facts, type FrameDeps, refusalReply, roomFacts } from "./shared";

/**
 * The room's facts for a thread action, or the refusal to answer when the
 * user may not view the room's threads (mayViewThread): every thread
 * action asks this first, so a non-member learns nothing of the thread.
 */
async function asThreadViewer(
  deps: FrameDeps,
  roomId: string,
  userId: string,
): Promise<Facts | Effect[]> {
  const facts = await roomFacts(deps, roomId, userId);
  const allowed = mayViewThread(facts.room, facts.membership);
  return allowed.ok ? facts : refusalReply(allowed);
}

/** Opens a thread the user may view: its root, a page of replies and the user's state. */
export async function thread(
  frame: Extract<RoomFrame, { type: "thread" }>,
  user: WireUser,
  deps: FrameDeps,
): Promise<Effect[]> {
  const { roomId, rootId } = frame;
  const viewer = await asThreadViewer(deps, roomId, user.id);
  if (Array.isArray(viewer)) return viewer;
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
  const viewer = await asThreadViewer(deps, roomId, user.id);
  if (Array.isArray(viewer)) return viewer;
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
  const viewer = await asThreadViewer(deps, roomId, user.id);
  if (Array.isArray(viewer)) return viewer;
  const root = await deps.threads.rootFacts(roomId, rootId);
  const allowed = mayFollow(viewer.room, viewer.membership, root);
  if (!allowed.ok) return refusalReply(allowed);
  const state = await deps.threads.follow(roomId, rootId, user.id, frame.following);
  return [{ kind: "user", userId: user.id, frame: { type: "thread_state", state } }];
}
