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

/**
 * Invites a person by id: null once they show up among the room's members,
 * else the server's refusal (blocked, too many invites...) or a timeout note.
 */
export async function inviteMember(
  client: ChatClient,
  roomId: string,
  userId: string,
): Promise<string | null> {
  const before = client.lastError;
  client.invite(roomId, userId);
  const added = (c: ChatClient) => c.roomView(roomId).members.some((m) => m.id === userId);
  const settled = await waitForClient(client, (c) => added(c) || c.lastError !== before);
  if (added(client)) return null;
  if (settled && client.lastError) {
    const { message } = client.lastError;
    // Shown by the form, so the page's own alert need not repeat it.
    client.dismissError();
    return message.charAt(0).toUpperCase() + message.slice(1);
  }
  return "No answer from the server. Try again.";
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
