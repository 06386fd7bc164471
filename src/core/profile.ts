import type { Effect } from "./actions/shared";
import { checkHandle } from "./handles";
import { checkDisplayName } from "./names";

/** A profile form's answer: both fields in stored form, or the first field at fault and why. */
export type ProfileCheck =
  | { ok: true; name: string; handle: string }
  | { ok: false; field: "name" | "handle"; error: string };

/** Checks an edited profile with the sign-up rules (display name, then handle). */
export function checkProfile(input: { name: unknown; handle: unknown }): ProfileCheck {
  const name = checkDisplayName(input.name);
  if (!name.ok) return { ok: false, field: "name", error: name.error };
  const handle = checkHandle(input.handle);
  if (!handle.ok) return { ok: false, field: "handle", error: handle.error };
  return { ok: true, name: name.name, handle: handle.handle };
}

/**
 * What follows a committed profile change: every room the user is in hears
 * its member list again (name and handle as now stored), so open tabs on
 * every instance repaint the member list, the mention painting and the
 * autocomplete with the new handle; the user's own tabs find themselves in
 * it and take the new name (ChatClient).
 */
export function profileChangedEffects(roomIds: readonly string[]): Effect[] {
  return roomIds.map((roomId) => ({ kind: "members", roomId }));
}
