import { APIError } from "better-auth/api";
import type { Kysely } from "kysely";
import { isBot } from "../storage/bot-store.server";
import type { Database } from "../storage/schema.server";

/** What a sign-in as a bot account is told (issue 15). */
export const BOT_SIGN_IN_MESSAGE = "Bots cannot sign in: they use access tokens.";

/**
 * better-auth's `databaseHooks.session.create.before`, beside the
 * deactivation gate: a bot has no password, but a reset link (any caller
 * may ask for one, and a catch-all mail relay would deliver it) would give
 * it one. Refusing the session refuses every way of signing in as a bot.
 */
export function refuseBot(db: Kysely<never>) {
  return async (session: { userId: string }) => {
    if (await isBot(db as unknown as Kysely<Database>, session.userId)) {
      throw new APIError("FORBIDDEN", { code: "BOT_ACCOUNT", message: BOT_SIGN_IN_MESSAGE });
    }
  };
}
