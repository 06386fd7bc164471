/**
 * The searchable words of what a person typed: letters, digits and
 * underscores only, so nothing of either engine's query syntax survives.
 * At most 12, so a pasted paragraph cannot become a huge query.
 */
function searchWords(input: string): string[] {
  return (input.normalize("NFKC").match(/[\p{L}\p{N}_]+/gu) ?? []).slice(0, 12);
}

/**
 * Turns what a person typed into an FTS5 query that cannot be a syntax
 * error: each word becomes a quoted prefix term, all of them required.
 * Returns null when nothing searchable remains.
 */
export function toFtsQuery(input: string): string | null {
  const terms = searchWords(input).map((word) => `"${word}"*`);
  return terms.length > 0 ? terms.join(" ") : null;
}

/**
 * The same query for PostgreSQL's `to_tsquery`: each word a quoted prefix
 * lexeme (`'word':*`), all of them required. The words hold no quote,
 * operator or space, so the result always parses. Null when nothing is left.
 */
export function toTsQuery(input: string): string | null {
  const terms = searchWords(input).map((word) => `'${word}':*`);
  return terms.length > 0 ? terms.join(" & ") : null;
}
