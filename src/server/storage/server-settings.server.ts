import type { Kysely } from "kysely";
import {
  DEFAULT_SERVER_SETTINGS,
  type ServerSettings,
  SIGNUP_POLICIES,
} from "../../core/server-settings";
import { writeAudit } from "./audit.server";
import type { Database } from "./schema.server";

type Key = keyof ServerSettings;

/** Keeps a stored value only when it has the setting's type; otherwise the default stands. */
function parsed<K extends Key>(key: K, raw: string): ServerSettings[K] | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  const fallback = DEFAULT_SERVER_SETTINGS[key];
  if (key === "signupPolicy") {
    return (SIGNUP_POLICIES as readonly unknown[]).includes(value)
      ? (value as ServerSettings[K])
      : undefined;
  }
  if (Array.isArray(fallback)) {
    return Array.isArray(value) && value.every((v) => typeof v === "string")
      ? (value as ServerSettings[K])
      : undefined;
  }
  return typeof value === typeof fallback ? (value as ServerSettings[K]) : undefined;
}

/**
 * The server's settings: what is stored, the defaults for the rest. One
 * small query; read it where it is needed (sign-up, the 2FA guard), since
 * every instance must see an admin's change at once.
 */
export async function readServerSettings(db: Kysely<Database>): Promise<ServerSettings> {
  const rows = await db.selectFrom("server_setting").select(["key", "value"]).execute();
  const settings: Record<string, unknown> = { ...DEFAULT_SERVER_SETTINGS };
  for (const row of rows) {
    if (!(row.key in DEFAULT_SERVER_SETTINGS)) continue;
    const value = parsed(row.key as Key, row.value);
    if (value !== undefined) settings[row.key] = value;
  }
  return settings as ServerSettings;
}

/**
 * Saves a checked change (core/server-settings checkSettingsPatch) and its
 * audit row ("settings.update", naming the keys and their new values) in
 * one transaction. Answers the settings as they now are.
 */
export async function writeServerSettings(
  db: Kysely<Database>,
  patch: Partial<ServerSettings>,
  actorId: string,
): Promise<ServerSettings> {
  const entries = Object.entries(patch).filter(([key]) => key in DEFAULT_SERVER_SETTINGS);
  if (entries.length > 0) {
    await db.transaction().execute(async (trx) => {
      for (const [key, value] of entries) {
        const json = JSON.stringify(value);
        await trx
          .insertInto("server_setting")
          .values({ key, value: json })
          .onConflict((oc) => oc.column("key").doUpdateSet({ value: json }))
          .execute();
      }
      await writeAudit(trx, {
        actorId,
        action: "settings.update",
        details: Object.fromEntries(entries),
      });
    });
  }
  return readServerSettings(db);
}
