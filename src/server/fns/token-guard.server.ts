import type { Kysely } from "kysely";
import type { ServerRole } from "../../core/admin-policy";
import type { WireUser } from "../../protocol/frames";
import { readServerRole } from "../auth/server-role.server";
import type { Runtime } from "../runtime.server";
import type { Database } from "../storage/schema.server";
import { TOKEN_SESSION_PREFIX } from "../storage/token-store.server";
import { getRealtime } from "../ws/realtime.server";
import { requireUser } from "./auth-guard.server";

/**
 * The signed-in person of a /settings/tokens call, with their server role
 * read fresh (who may grant `admin` is decided on it), or an error.
 */
export async function requireTokenOwner(): Promise<{
  runtime: Runtime;
  db: Kysely<Database>;
  user: WireUser;
  role: ServerRole | undefined;
}> {
  const { runtime, user } = await requireUser();
  const db = runtime.db;
  if (!db) throw new Error("no database");
  return { runtime, db, user, role: await readServerRole(db, user.id) };
}

/**
 * After a revocation commits: every socket opened with the token closes
 * (4001) here and on every instance, exactly as a signed-out session's do
 * (the `signed_out` event, relayed as `session_revoked`). The realtime side
 * is built first, so that its link to the other instances is listening.
 */
export async function closeTokenSockets(runtime: Runtime, tokenId: string): Promise<void> {
  try {
    await getRealtime();
  } catch (error) {
    // The other instances' sweep still finds the row revoked.
    runtime.log.error("token revocation not relayed", { tokenId, error: String(error) });
  }
  runtime.events.emit({ type: "signed_out", token: `${TOKEN_SESSION_PREFIX}${tokenId}` });
}
