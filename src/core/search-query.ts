/**
 * Turns what a person typed into an FTS5 query that cannot be a syntax
 * error: each word becomes a quoted prefix term, all of them required.
 * Returns null when nothing searchable remains.
 */
export function toFtsQuery(input: string): string | null {
  const words = input.normalize("NFKC").match(/[\p{L}\p{N}_]+/gu) ?? [];
  const terms = words.slice(0, 12).map((word) => `"${word}"*`);
  return terms.length > 0 ? terms.join(" ") : null;
}
