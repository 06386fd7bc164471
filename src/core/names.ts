/**
 * Rules for names people give themselves and their rooms: what they may
 * contain and how long they may be. Shared by sign-up, profile updates and
 * room creation, so every path that sets a name refuses the same things.
 *
 * Why these rules: a name rides in every message, member list and typing
 * frame, so an unbounded one multiplies into every member's traffic; and a
 * name with bidi overrides, zero-width or control characters can look like
 * somebody else's ("gеneral" with a Cyrillic е, or an RTL override that
 * reverses what follows) while comparing unequal.
 */

import { graphemeLength } from "../protocol/text-length";

export { graphemeLength };

/** The longest display name, in user-perceived characters (graphemes). */
export const DISPLAY_NAME_MAX = 64;
/** A code-unit backstop: graphemes can carry any number of combining marks. */
const DISPLAY_NAME_MAX_UNITS = 256;

// Cc: control (incl. NUL, DEL), Cf: format (bidi embeddings, overrides and
// isolates, zero-width space/joiner, BOM, soft hyphen), Co: private use,
// Cn: unassigned, Zl/Zp: line and paragraph separators.
const FORBIDDEN = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}]/u;

/**
 * The first character a name may not contain, described for an error
 * message, or null. Lone surrogates count as forbidden.
 */
export function forbiddenCharacter(text: string): string | null {
  if (!text.isWellFormed()) return "an unpaired surrogate";
  const match = FORBIDDEN.exec(text);
  if (!match) return null;
  const code = match[0].codePointAt(0) ?? 0;
  return `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
}

/** NFKC, trimmed, runs of whitespace as one space: the form names are stored in. */
export function normalizeName(input: string): string {
  return input.normalize("NFKC").trim().replace(/\s+/gu, " ");
}

export type NameCheck = { ok: true; name: string } | { ok: false; error: string };

/** Validates a display name from any source (sign-up, profile update); returns its stored form. */
export function checkDisplayName(input: unknown): NameCheck {
  if (typeof input !== "string") return { ok: false, error: "Names are text." };
  if (!input.isWellFormed()) {
    return { ok: false, error: "Names cannot contain an unpaired surrogate." };
  }
  // Checked before whitespace is collapsed, which would hide U+2028 and
  // friends; tabs and newlines are only whitespace, and become spaces.
  const bad = forbiddenCharacter(input.normalize("NFKC").replace(/[\t\n\r]/g, " "));
  const name = normalizeName(input);
  if (name.length === 0) return { ok: false, error: "Enter a name." };
  if (bad) {
    return {
      ok: false,
      error: `Names cannot contain control, formatting or invisible characters (${bad}).`,
    };
  }
  if (name.length > DISPLAY_NAME_MAX_UNITS || graphemeLength(name) > DISPLAY_NAME_MAX) {
    return { ok: false, error: `Names are at most ${DISPLAY_NAME_MAX} characters.` };
  }
  return { ok: true, name };
}
