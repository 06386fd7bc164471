import { createServerFn } from "@tanstack/react-start";
import { z } from "zod";
import { checkSettingsPatch, type ServerSettings } from "../../core/server-settings";
import { readServerSettings, writeServerSettings } from "../storage/server-settings.server";
import { requireAdmin } from "./admin-guard.server";
import { requireWithin } from "./limit-guard.server";

/** /admin/settings: the server's settings as they are (issue 14). */
export const adminSettingsFn = createServerFn({ method: "GET" }).handler(async () => {
  const { runtime, db, user } = await requireAdmin();
  requireWithin(runtime, "page", user.id);
  return readServerSettings(db);
});

export type SaveSettingsAnswer =
  | { ok: true; settings: ServerSettings }
  | { ok: false; field: keyof ServerSettings; error: string };

/**
 * Saves a change to the settings: checked by core/server-settings (the
 * field at fault and its sentence come back to show next to it), stored
 * with its "settings.update" audit row in one transaction.
 */
export const saveSettingsFn = createServerFn({ method: "POST" })
  .validator(
    z.object({
      serverName: z.string().max(1000).optional(),
      signupPolicy: z.string().max(20).optional(),
      allowedDomains: z.array(z.string().max(300)).max(500).optional(),
      requireTwoFactor: z.boolean().optional(),
    }),
  )
  .handler(async ({ data }): Promise<SaveSettingsAnswer> => {
    const { runtime, db, user } = await requireAdmin();
    requireWithin(runtime, "membership", user.id);
    const patch = Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined));
    const checked = checkSettingsPatch(patch);
    if (!checked.ok) return checked;
    const settings = await writeServerSettings(db, checked.settings, user.id);
    return { ok: true, settings };
  });
