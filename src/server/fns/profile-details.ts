import { createServerFn } from "@tanstack/react-start";
import { z } from "zod";
import { checkDetails } from "../../core/profile-details";
import type { ProfileDetails } from "../../ports";
import { requireUser } from "./auth-guard.server";
import { refusal, requireWithin } from "./limit-guard.server";

/** Most ids one avatarsFn call looks up (a page of members and authors). */
export const AVATARS_BATCH = 200;

/**
 * The profile card of `userId` (a fresh read each time it opens: the
 * status is checked against the clock now). null for no such user.
 */
export const profileCardFn = createServerFn({ method: "GET" })
  .validator(z.object({ userId: z.string().min(1).max(200) }))
  .handler(async ({ data }): Promise<ProfileDetails | null> => {
    const { runtime, user } = await requireUser();
    requireWithin(runtime, "profile", user.id);
    return (await runtime.storage.profiles.details(data.userId, Date.now())) ?? null;
  });

/** The signed-in user's own details, for the profile dialog. */
export const myDetailsFn = createServerFn({ method: "GET" }).handler(
  async (): Promise<ProfileDetails | null> => {
    const { runtime, user } = await requireUser();
    return (await runtime.storage.profiles.details(user.id, Date.now())) ?? null;
  },
);

/**
 * Saves the signed-in user's status ("Status", "Status emoji", "Clear
 * after") and "Time zone". A refusal names the field at fault and why
 * (core/profile-details checkDetails). `browserZone` is what "today"
 * follows when no zone is chosen. Others see it when they next open the card.
 */
export const saveDetailsFn = createServerFn({ method: "POST" })
  .validator(
    z.object({
      status: z.string().max(2000),
      emoji: z.string().max(64),
      clearAfter: z.string().max(16),
      timeZone: z.string().max(100),
      browserZone: z.string().max(100).optional(),
    }),
  )
  .handler(async ({ data }) => {
    const { runtime, user } = await requireUser();
    const checked = checkDetails(data, Date.now(), data.browserZone);
    if (!checked.ok) return checked;
    const limited = refusal(runtime, "membership", user.id);
    if (limited) return { ok: false as const, field: null, error: limited };
    const saved = await runtime.storage.profiles.setDetails(user.id, {
      status: checked.status,
      timeZone: checked.timeZone,
    });
    if (!saved)
      return { ok: false as const, field: null, error: "This account is no longer there." };
    return { ok: true as const, status: checked.status, timeZone: checked.timeZone };
  });

/** Avatar versions of the people among `ids` who have one (the Avatar component's batch). */
export const avatarsFn = createServerFn({ method: "POST" })
  .validator(z.object({ ids: z.array(z.string().max(200)).max(AVATARS_BATCH) }))
  .handler(async ({ data }): Promise<Record<string, string>> => {
    const { runtime, user } = await requireUser();
    requireWithin(runtime, "profile", user.id);
    return runtime.storage.profiles.avatarsOf(data.ids);
  });
