import type { Kysely } from "kysely";
import type { Database } from "../storage/schema.server";
import { readServerSettings } from "../storage/server-settings.server";
import type { Auth } from "./auth.server";

/**
 * Whether the signed-in user behind these headers must set up two-factor
 * authentication before using the chat: the server requires it
 * (ServerSettings.requireTwoFactor) and they have not turned it on. False
 * when nobody is signed in (the pages' own guards send them to sign in).
 * The setting is read first: with it off (the default) this is one small
 * query and no session lookup.
 */
export async function mustSetUpTwoFactor(
  runtime: { auth: Auth; db?: Kysely<Database> },
  headers: Headers,
): Promise<boolean> {
  if (!runtime.db) return false;
  const { requireTwoFactor } = await readServerSettings(runtime.db);
  if (!requireTwoFactor) return false;
  const found = await runtime.auth.api.getSession({ headers });
  return found !== null && found.user.twoFactorEnabled !== true;
}
