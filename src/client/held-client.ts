import type { RoomSummary, WireMessage, WireUser } from "../protocol/frames";
import type { ChatClient } from "./chat-client";

/**
 * The tab's mounted chat client, for route loaders: loaders run outside
 * React, and while the server is unreachable they can only open a room
 * from what this client already holds (its room list and the logs it has
 * seen). Set by the signed-in layout, cleared when it unmounts.
 */
let held: { client: ChatClient; user: WireUser } | null = null;
/**
 * The room list of the last room page the server answered: the sidebar
 * lists public rooms the person has not joined, which the client's own
 * list (joined rooms) lacks.
 */
let listed: RoomSummary[] = [];

/**
 * Makes `client` (signed in as `user`) the held one; returns the undo (a
 * no-op once another took over).
 */
export function holdClient(client: ChatClient, user: WireUser): () => void {
  const mine = { client, user };
  held = mine;
  return () => {
    if (held !== mine) return;
    held = null;
    listed = [];
  };
}

/** Keeps the sidebar's rooms from a page the server answered (see `listed`). */
export function rememberRooms(rooms: RoomSummary[]): void {
  listed = rooms;
}

export function heldClient(): ChatClient | null {
  return held?.client ?? null;
}

/** The user the held client was opened for (the signed-in layout's). */
export function heldUser(): WireUser | null {
  return held?.user ?? null;
}

/** What a room page needs, as the client holds it. */
export type HeldRoom = {
  room: RoomSummary;
  rooms: RoomSummary[];
  messages: WireMessage[];
  pinned: WireMessage[];
};

/**
 * The room with this slug as the client holds it, or null when it does not
 * hold both the room's summary and a log for it (a room never opened in
 * this tab has no messages here: the page says it will load later instead
 * of showing an empty room as if it were one).
 */
export function heldRoom(
  client: Pick<ChatClient, "rooms" | "roomView">,
  slug: string,
  known: RoomSummary[] = listed,
): HeldRoom | null {
  const joined = client.rooms();
  const room = joined.find((r) => r.slug === slug);
  if (!room) return null;
  const view = client.roomView(room.id);
  if (view.messages.length === 0) return null;
  // The sidebar as last listed, plus rooms joined since (the page merges live state in).
  const ids = new Set(known.map((r) => r.id));
  const rooms = [...known, ...joined.filter((r) => !ids.has(r.id))];
  return { room, rooms, messages: view.messages, pinned: view.pinned };
}

/** The message of a fetch that never reached a server, per browser engine. */
const FETCH_FAILED = /failed to fetch|networkerror|load failed|network request failed/i;

/**
 * Whether a loader's failure is the connection's, not the page's: the
 * browser is offline, the request never reached a server (fetch's
 * TypeError), or the chat socket is down too. Such a failure gets the
 * offline state that recovers by itself, never an error page.
 */
export function isConnectionFailure(
  error: unknown,
  state: { online: boolean; socketConnected: boolean | null },
): boolean {
  if (!state.online) return true;
  if (error instanceof TypeError && FETCH_FAILED.test(error.message)) return true;
  // Served by something else (a proxy's 502 page) while the socket is down.
  return state.socketConnected === false;
}

/** isConnectionFailure with this tab's state (browser only). */
export function failedForConnection(error: unknown): boolean {
  if (typeof window === "undefined") return false;
  const client = heldClient();
  return isConnectionFailure(error, {
    online: navigator.onLine,
    socketConnected: client ? client.status === "connected" : null,
  });
}
