/**
 * The people picker's query rules (issue 17), pure: what a typed query
 * means, whom it matches, and how a match is written. The stores run the
 * same rule in SQL (UserDirectory.searchPeople); the contract suite checks
 * the SQL against `personMatches` on one table of cases.
 */

/** A parsed people query: the lower-case prefix, and whether only handles count. */
export type PeopleQuery = { prefix: string; handleOnly: boolean };

/** Longest query the picker sends (the server fn's validator says the same). */
export const PEOPLE_QUERY_MAX = 100;

/**
 * Emails are matched from this many characters on: a one- or two-letter
 * probe would otherwise tell a stranger what someone's address starts with
 * (the answer never carries the address, but a hit for "x" says enough).
 */
export const EMAIL_PREFIX_MIN = 3;

/**
 * Reads what was typed: trimmed, NFKC, lower case; a leading "@" means
 * "handle" ("@dan" matches handles only). Null when nothing is left to
 * search for ("", "  ", "@").
 */
export function parsePeopleQuery(raw: string): PeopleQuery | null {
  const text = raw.normalize("NFKC").trim().toLowerCase();
  const handleOnly = text.startsWith("@");
  const prefix = (handleOnly ? text.slice(1) : text).trim();
  return prefix ? { prefix, handleOnly } : null;
}

/** What a person is matched on; email is read by the server only, never sent on. */
export type Searchable = { name: string; handle?: string | null; email?: string | null };

/** The rule, as the stores apply it: prefix, case-insensitive, on handle, name or (long enough) email. */
export function personMatches(person: Searchable, query: PeopleQuery): boolean {
  const starts = (value: string | null | undefined) =>
    typeof value === "string" && value.toLowerCase().startsWith(query.prefix);
  if (starts(person.handle)) return true;
  if (query.handleOnly) return false;
  return starts(person.name) || (query.prefix.length >= EMAIL_PREFIX_MIN && starts(person.email));
}

/** A person as the picker lists them (never their email). */
export type PersonOption = { id: string; name: string; handle?: string };

/** "Dana Lee @dana.lee": an option's accessible name, as the mention suggestions name theirs. */
export function personLabel(person: PersonOption): string {
  return person.handle ? `${person.name} @${person.handle}` : person.name;
}
