import { APIError } from "better-auth/api";
import type { Kysely } from "kysely";
import { isDeactivated } from "../storage/admin-store.server";
import type { Database } from "../storage/schema.server";

/** What a deactivated account is told on every sign-in (and its tab, when signed out). */
export const DEACTIVATED_MESSAGE = "This account is deactivated.";

/**
 * better-auth's `databaseHooks.session.create.before`: every way of signing
 * in (password, single sign-on, any plugin) ends in a new session row, so
 * refusing it here refuses them all for a deactivated account, with 403
 * ACCOUNT_DEACTIVATED and the sentence above. The password was checked
 * already, so the answer tells nothing to someone without it.
 */
export function refuseDeactivated(db: Kysely<never>) {
  return async (session: { userId: string }) => {
    if (await isDeactivated(db as unknown as Kysely<Database>, session.userId)) {
      throw new APIError("FORBIDDEN", {
        code: "ACCOUNT_DEACTIVATED",
        message: DEACTIVATED_MESSAGE,
      });
    }
  };
}
