import { createServerFn } from "@tanstack/react-start";
import { z } from "zod";
import { checkProfile } from "../../core/profile";
import { HANDLE_TAKEN_MESSAGE } from "../auth/handles.server";
import { requireUser } from "./auth-guard.server";
import { refusal } from "./limit-guard.server";
import { announceProfile } from "./profile-effects.server";

/**
 * Saves the signed-in user's display name and handle ("Edit profile"):
 * the sign-up rules for both, "That handle is taken." for one another
 * account holds in any case (the unique lower(handle) index decides a
 * race), and nothing is lost on a refusal (the form keeps what was typed).
 * Old `@handle` mentions of the user are rewritten in the same transaction.
 */
export const saveProfileFn = createServerFn({ method: "POST" })
  .validator(z.object({ name: z.string().max(1000), handle: z.string().max(1000) }))
  .handler(async ({ data }) => {
    const { runtime, user } = await requireUser();
    const checked = checkProfile(data);
    if (!checked.ok) return checked;
    const limited = refusal(runtime, "membership", user.id);
    if (limited) return { ok: false as const, field: null, error: limited };
    const changed = await runtime.storage.users.changeProfile(user.id, checked);
    if (!changed.ok) {
      return changed.reason === "taken"
        ? { ok: false as const, field: "handle" as const, error: HANDLE_TAKEN_MESSAGE }
        : { ok: false as const, field: null, error: "This account is no longer there." };
    }
    await announceProfile(runtime, changed.user);
    return { ok: true as const, user: changed.user };
  });
