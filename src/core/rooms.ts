/** Rules for room names and slugs, shared by server functions and the UI. */

import { forbiddenCharacter, graphemeLength, normalizeName } from "./names";

/** The longest room name, in user-perceived characters (graphemes). */
export const ROOM_NAME_MAX = 60;
/** A code-unit backstop: graphemes can carry any number of combining marks. */
const ROOM_NAME_MAX_UNITS = 240;
/** The default room (core/policy: everyone is in it, nobody leaves it), seeded at start. */
export const GENERAL_ROOM = { slug: "general", name: "general", isDefault: true } as const;
/** Slugs starting with this belong to direct messages; typed names may not take them. */
export const DM_SLUG_PREFIX = "dm-";

/** Lower-case slug: letters and digits joined by single dashes, at most 40 characters. */
export function slugify(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, 40)
    .replace(/^-+|-+$/g, "");
}

/**
 * The slug of a private room: its name's slug, two dashes and a random
 * suffix. slugify never yields two dashes in a row, so no typed name can
 * collide with (and so confirm) a private room's slug.
 */
export function privateSlug(slug: string, suffix: string): string {
  return `${slug}--${suffix}`;
}

// Letters of other scripts that render like Latin ones (after NFKD and
// lower-casing), from Unicode's confusables for the common Cyrillic and
// Greek cases. Upper-case forms are mapped first, since lower-casing a
// Greek capital gives a letter that no longer looks Latin (Β -> β).
const UPPER_LOOKALIKES: Record<string, string> = {
  // Cyrillic capitals
  А: "A",
  В: "B",
  Е: "E",
  Ѕ: "S",
  І: "I",
  Ј: "J",
  К: "K",
  М: "M",
  Н: "H",
  О: "O",
  Р: "P",
  С: "C",
  Т: "T",
  Х: "X",
  Ү: "Y",
  Ԛ: "Q",
  Ԝ: "W",
  // Greek capitals
  Α: "A",
  Β: "B",
  Ε: "E",
  Ζ: "Z",
  Η: "H",
  Ι: "I",
  Κ: "K",
  Μ: "M",
  Ν: "N",
  Ο: "O",
  Ρ: "P",
  Τ: "T",
  Υ: "Y",
  Χ: "X",
};
const LOWER_LOOKALIKES: Record<string, string> = {
  // Cyrillic
  а: "a",
  в: "b",
  е: "e",
  ё: "e",
  ѕ: "s",
  і: "i",
  ї: "i",
  ј: "j",
  к: "k",
  м: "m",
  н: "h",
  о: "o",
  р: "p",
  с: "c",
  т: "t",
  у: "y",
  х: "x",
  һ: "h",
  ԁ: "d",
  ԛ: "q",
  ԝ: "w",
  ү: "y",
  ɡ: "g",
  // Greek
  α: "a",
  β: "b",
  γ: "y",
  ε: "e",
  ι: "i",
  κ: "k",
  ν: "v",
  ο: "o",
  ρ: "p",
  τ: "t",
  υ: "u",
  χ: "x",
  // Latin look-alikes of Latin letters and digits
  ı: "i",
  ȷ: "j",
  ℓ: "l",
  "0": "o",
  "1": "l",
  "|": "l",
};

/**
 * What a room name looks like, for telling look-alikes apart: NFKC then
 * NFKD, Cyrillic and Greek look-alikes mapped to Latin letters, lower
 * case, only letters and digits kept (marks, spaces and punctuation go),
 * and the common multi-letter look-alikes folded (rn -> m, vv -> w). Two
 * names with one skeleton read as one name: "gеneral" (Cyrillic е),
 * "GENERAL", "g e n e r a l", "genera1". A small table of the common cases,
 * not all of Unicode's confusables; capital I and small l stay apart, so
 * that ordinary words do not collide. Stored per public room (migration
 * 0003): a change to this table applies to rooms created after it.
 */
export function roomSkeleton(name: string): string {
  const decomposed = normalizeName(name).normalize("NFKD");
  let out = "";
  for (const char of decomposed) {
    const upper = UPPER_LOOKALIKES[char] ?? char;
    for (const lower of upper.toLowerCase()) out += LOWER_LOOKALIKES[lower] ?? lower;
  }
  return out
    .replace(/[^\p{L}\p{N}]/gu, "")
    .replace(/rn/g, "m")
    .replace(/vv/g, "w");
}

export type RoomNameCheck =
  | { ok: true; name: string; slug: string; skeleton: string }
  | { ok: false; error: string };

/** Validates a room name typed by a person and derives its slug and skeleton. */
export function checkRoomName(input: string): RoomNameCheck {
  if (!input.isWellFormed()) {
    return { ok: false, error: "Room names cannot contain an unpaired surrogate." };
  }
  // Checked before whitespace is collapsed, which would hide U+2028 and
  // friends; tabs and newlines are only whitespace.
  const bad = forbiddenCharacter(input.normalize("NFKC").replace(/[\t\n\r]/g, " "));
  const name = normalizeName(input);
  if (name.length === 0) return { ok: false, error: "Enter a room name." };
  if (bad) {
    return {
      ok: false,
      error: `Room names cannot contain control, formatting or invisible characters (${bad}).`,
    };
  }
  if (name.length > ROOM_NAME_MAX_UNITS || graphemeLength(name) > ROOM_NAME_MAX) {
    return { ok: false, error: `Room names are at most ${ROOM_NAME_MAX} characters.` };
  }
  const slug = slugify(name);
  if (slug.length === 0) return { ok: false, error: "Use at least one letter or digit." };
  if (slug === "dm" || slug.startsWith(DM_SLUG_PREFIX)) {
    return { ok: false, error: 'Room names starting with "dm" are kept for direct messages.' };
  }
  return { ok: true, name, slug, skeleton: roomSkeleton(name) };
}
