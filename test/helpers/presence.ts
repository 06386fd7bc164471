import type { Frame, TestSocket } from "./clients";

/** One user's presence as a frame carries it. */
export type PresenceChange = {
  user: { id: string; name: string };
  online: boolean;
  rooms?: string[];
};

/**
 * The presence changes in a frame: a `presence_batch` (one per socket per
 * tick, issue 16) carries several; an older server's `presence` one.
 */
export function presenceChanges(frame: Frame): PresenceChange[] {
  if (frame.type === "presence_batch") return frame.changes as PresenceChange[];
  if (frame.type === "presence") return [frame as unknown as PresenceChange];
  return [];
}

/** Matches a frame that tells of `userId` (coming online or going offline, if given). */
export const presenceOf =
  (userId: string, online?: boolean) =>
  (frame: Frame): boolean =>
    presenceChanges(frame).some(
      (change) => change.user.id === userId && (online === undefined || change.online === online),
    );

/** The change about `userId` a frame carries (the first), for asserting its fields. */
export function changeAbout(frame: Frame, userId: string): PresenceChange | undefined {
  return presenceChanges(frame).find((change) => change.user.id === userId);
}

/**
 * Who the socket sees online in the room: its `subscribed` member list,
 * then every presence change it heard after it, in order.
 */
export function onlineSeen(socket: TestSocket, roomId: string): Set<string> {
  const at = socket.frames.findIndex((f) => f.type === "subscribed" && f.roomId === roomId);
  const subscribed = socket.frames[at];
  const members = (subscribed?.members ?? []) as { id: string; online: boolean }[];
  const online = new Set(members.filter((m) => m.online).map((m) => m.id));
  for (const frame of socket.frames.slice(at + 1)) {
    for (const change of presenceChanges(frame)) {
      if (change.online) online.add(change.user.id);
      else online.delete(change.user.id);
    }
  }
  return online;
}
