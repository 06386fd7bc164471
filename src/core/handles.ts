/**
 * Handles: the unique, typeable name of an account (`@dana.lee`). Display
 * names may repeat; handles never do, so mentions, invites and DMs name
 * exactly one person. Stored lower case; the database keeps them unique on
 * lower(handle) as well, so two sign-ups racing for one handle cannot both win.
 */

export const HANDLE_MIN = 2;
export const HANDLE_MAX = 32;

const HANDLE = /^[a-z0-9._-]+$/;

export type HandleCheck = { ok: true; handle: string } | { ok: false; error: string };

/** The form a typed handle is compared and stored in: trimmed, without a leading `@`, lower case. */
export function normalizeHandle(input: string): string {
  return input.trim().replace(/^@/, "").toLowerCase();
}

/** Validates a handle from any source (sign-up form, API, invite); returns its stored form. */
export function checkHandle(input: unknown): HandleCheck {
  if (typeof input !== "string") return { ok: false, error: "Handles are text." };
  const handle = normalizeHandle(input);
  if (handle.length === 0) return { ok: false, error: "Enter a handle." };
  if (!HANDLE.test(handle)) {
    return {
      ok: false,
      error: "Handles use only letters a-z, digits, dots, dashes and underscores.",
    };
  }
  if (handle.length < HANDLE_MIN || handle.length > HANDLE_MAX) {
    return { ok: false, error: `Handles are ${HANDLE_MIN} to ${HANDLE_MAX} characters.` };
  }
  if (!/[a-z0-9]/.test(handle)) {
    return { ok: false, error: "Handles need at least one letter or digit." };
  }
  return { ok: true, handle };
}

/** What a name with nothing usable in it suggests. */
export const FALLBACK_HANDLE = "user";

/**
 * A handle suggested by a display name: accents dropped, lower case, words
 * joined by dots, anything else left out ("Zoë O'Brien" → "zoe.obrien").
 * Always valid; not necessarily free (see withSuffix).
 */
export function suggestHandle(name: string): string {
  const words = name
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .split(/[\s._-]+/u)
    .map((word) => word.replace(/[^a-z0-9]/g, ""))
    .filter((word) => word.length > 0);
  const joined = words.join(".").slice(0, HANDLE_MAX).replace(/\.+$/, "");
  return joined.length >= HANDLE_MIN ? joined : FALLBACK_HANDLE;
}

/** `base` with the number `n` appended, cut so it still fits HANDLE_MAX ("dana" → "dana2"). */
export function withSuffix(base: string, n: number): string {
  const digits = String(n);
  return `${base.slice(0, HANDLE_MAX - digits.length)}${digits}`;
}

/**
 * The first of `base`, base2, base3 … that `taken` does not hold: how the
 * migration gives existing accounts handles, and sign-up picks one for a
 * client that sent none.
 */
export function firstFreeHandle(base: string, taken: (handle: string) => boolean): string {
  if (!taken(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = withSuffix(base, n);
    if (!taken(candidate)) return candidate;
  }
}
