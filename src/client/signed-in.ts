import type { WireUser } from "../protocol/frames";
import { getSessionFn } from "../server/fns/session";
import { failedForConnection, heldUser } from "./held-client";

/**
 * The signed-in user for a route guard. The guard asks the server on every
 * navigation; when that request fails for the connection (server down,
 * network gone) and this tab is already signed in (a chat client is
 * held), it answers with that user, so moving between rooms offline never
 * fails in the guard. The server still checks the session on every
 * request and socket, and the socket reports a session that ended.
 */
export async function signedInUser(): Promise<WireUser | null> {
  try {
    return await getSessionFn();
  } catch (error) {
    const user = heldUser();
    if (user && failedForConnection(error)) return user;
    throw error;
  }
}
