import type { ChatClient } from "./chat-client";

/**
 * Resolves true once `check` holds on the client's state, false after
 * `timeoutMs`. The socket actions (invite, leave) report failures only as
 * errors without a clientId, which the client drops; watching for the
 * expected outcome is how the UI learns whether they worked.
 */
export function waitForClient(
  client: ChatClient,
  check: (client: ChatClient) => boolean,
  timeoutMs = 3_000,
): Promise<boolean> {
  return new Promise((resolve) => {
    if (check(client)) return resolve(true);
    const finish = (ok: boolean) => {
      clearTimeout(timer);
      unsubscribe();
      resolve(ok);
    };
    const unsubscribe = client.subscribe(() => {
      if (check(client)) finish(true);
    });
    const timer = setTimeout(() => finish(false), timeoutMs);
  });
}

/** Invites a person by name; true once they show up among the room's members. */
export function inviteMember(client: ChatClient, roomId: string, name: string): Promise<boolean> {
  const wanted = name.trim().toLowerCase();
  client.invite(roomId, name.trim());
  return waitForClient(client, (c) =>
    c.roomView(roomId).members.some((m) => m.name.toLowerCase() === wanted),
  );
}

/** Leaves a room; resolves once the server confirmed (room_removed) or after a timeout. */
export function leaveRoom(client: ChatClient, roomId: string): Promise<boolean> {
  const known = client.roomSummary(roomId) !== undefined;
  client.leave(roomId);
  // A room joined after the socket connected is unknown to the client, so
  // its removal cannot be observed: give the frame a moment instead.
  if (!known) return new Promise((resolve) => setTimeout(() => resolve(true), 300));
  return waitForClient(client, (c) => c.roomSummary(roomId) === undefined);
}

/** Moves the read marker to the newest message held (the room page registered its summary). */
export function markRoomRead(client: ChatClient, roomId: string): void {
  client.markRead(roomId);
}
