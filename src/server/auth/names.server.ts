import { checkDisplayName, DISPLAY_NAME_MAX, normalizeName } from "../../core/names";

const FORBIDDEN_ALL = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}]/gu;
const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/** What an existing name that breaks the rules becomes when it is not fit to keep. */
export const FALLBACK_NAME = "user";

/**
 * A stored name brought within checkDisplayName's rules: forbidden
 * characters dropped, normalized, cut to DISPLAY_NAME_MAX graphemes (and a
 * code-unit backstop); FALLBACK_NAME when nothing is left. For names stored
 * before the rules existed; new names are refused instead.
 */
export function clampDisplayName(stored: string): string {
  const checked = checkDisplayName(stored);
  if (checked.ok) return checked.name;
  let name = normalizeName(
    stored
      .toWellFormed()
      .replace(/[\t\n\r]/g, " ")
      .replace(FORBIDDEN_ALL, ""),
  );
  let kept = "";
  let count = 0;
  for (const { segment } of segmenter.segment(name)) {
    if (count === DISPLAY_NAME_MAX || kept.length + segment.length > 256) break;
    kept += segment;
    count++;
  }
  name = normalizeName(kept);
  const again = checkDisplayName(name);
  return again.ok ? again.name : FALLBACK_NAME;
}
