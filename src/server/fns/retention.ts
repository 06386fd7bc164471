import { createServerFn } from "@tanstack/react-start";
import { z } from "zod";
import { maySetRetention } from "../../core/admin-policy";
import { checkRetentionDays } from "../../core/retention";
import {
  readServerRetention,
  writeRoomRetention,
  writeServerRetention,
} from "../retention/retention-settings.server";
import { requireAdmin } from "./admin-guard.server";
import { requireWithin } from "./limit-guard.server";

/**
 * "Keep messages for N days" (issue 15): the server-wide limit on
 * /admin/settings and each room's on /admin/rooms. Admins only
 * (core/admin-policy maySetRetention); the value is checked by
 * core/retention (a refusal comes back as a sentence for the field) and
 * stored with its "retention.update" audit row in one transaction.
 */
export type RetentionAnswer = { ok: true; days: number | null } | { ok: false; error: string };

// What an admin typed (the rule in core/retention reads it), or null for forever.
const daysInput = z.union([z.string().max(40), z.number(), z.null()]);

export const serverRetentionFn = createServerFn({ method: "GET" }).handler(async () => {
  const { runtime, db, user } = await requireAdmin();
  requireWithin(runtime, "page", user.id);
  return { days: await readServerRetention(db) };
});

export const saveServerRetentionFn = createServerFn({ method: "POST" })
  .validator(z.object({ days: daysInput }))
  .handler(async ({ data }): Promise<RetentionAnswer> => {
    const { runtime, db, user, role } = await requireAdmin();
    const allowed = maySetRetention(role);
    if (!allowed.ok) return allowed;
    requireWithin(runtime, "membership", user.id);
    const checked = checkRetentionDays(data.days);
    if (!checked.ok) return checked;
    await writeServerRetention(db, checked.days, user.id);
    return { ok: true, days: checked.days };
  });

export const saveRoomRetentionFn = createServerFn({ method: "POST" })
  .validator(z.object({ roomId: z.string().min(1).max(200), days: daysInput }))
  .handler(async ({ data }): Promise<RetentionAnswer> => {
    const { runtime, db, user, role } = await requireAdmin();
    const allowed = maySetRetention(role);
    if (!allowed.ok) return allowed;
    requireWithin(runtime, "membership", user.id);
    const checked = checkRetentionDays(data.days);
    if (!checked.ok) return checked;
    const done = await writeRoomRetention(db, data.roomId, checked.days, user.id);
    if (!done) return { ok: false, error: "This room is no longer there." };
    return { ok: true, days: checked.days };
  });
