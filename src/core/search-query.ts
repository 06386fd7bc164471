import { mentionHandle } from "./mentions";
import { slugify } from "./rooms";

/**
 * The searchable words of what a person typed: letters, digits and
 * underscores only, so nothing of either engine's query syntax survives.
 * At most 12, so a pasted paragraph cannot become a huge query.
 */
function searchWords(input: string): string[] {
  return (input.normalize("NFKC").match(/[\p{L}\p{N}_]+/gu) ?? []).slice(0, MAX_WORDS);
}

const MAX_WORDS = 12;

/** An FTS5 query of words (from searchWords): each a quoted prefix term, all required. */
export function ftsMatchOf(words: readonly string[]): string | null {
  return words.length > 0 ? words.map((word) => `"${word}"*`).join(" ") : null;
}

/** A `to_tsquery` text of words (from searchWords): each a quoted prefix lexeme, all required. */
export function tsQueryOf(words: readonly string[]): string | null {
  return words.length > 0 ? words.map((word) => `'${word}':*`).join(" & ") : null;
}

/**
 * Turns what a person typed into an FTS5 query that cannot be a syntax
 * error: each word becomes a quoted prefix term, all of them required.
 * Returns null when nothing searchable remains.
 */
export function toFtsQuery(input: string): string | null {
  return ftsMatchOf(searchWords(input));
}

/**
 * The same query for PostgreSQL's `to_tsquery`: each word a quoted prefix
 * lexeme (`'word':*`), all of them required. The words hold no quote,
 * operator or space, so the result always parses. Null when nothing is left.
 */
export function toTsQuery(input: string): string | null {
  return tsQueryOf(searchWords(input));
}

/**
 * A search as the drivers run it. Every filter narrows: `from` and `in`
 * match any of their values, dates are UTC milliseconds, and the drivers
 * still search only the rooms the user is a member of.
 */
export type SearchQuery = {
  /** Prefix words, all required (from searchWords). */
  words: string[];
  /**
   * Authors, any of them: each value matches a handle (`from:@carol` or
   * `from:carol`) and a name key (mentionHandle: lower case, no spaces).
   */
  from: string[];
  /** Room slugs, lower case; any of them. */
  in: string[];
  /** Only messages created before this instant (the start of the `before:` day). */
  before: number | null;
  /** Only messages created at or after this instant (the end of the `after:` day). */
  after: number | null;
  hasLink: boolean;
  isThread: boolean;
};

/**
 * A parsed search. `problems` are operators whose value cannot mean
 * anything (a bad date, `has:` something other than `link`): a search with
 * problems is not run, so a typo never silently widens or empties it.
 * `notes` say how something unusual was read (an unknown `foo:bar` is
 * searched as the words foo and bar).
 */
export type ParsedSearch = { query: SearchQuery; problems: string[]; notes: string[] };

/** The operators, with one example each, for the search box's help. */
export const SEARCH_OPERATORS = [
  {
    example: "from:ann",
    meaning:
      'Sent by @ann (from:@ann too) or anyone named Ann. Names with spaces in quotes: from:"Ann Lee"',
  },
  { example: "in:general", meaning: "In the room whose address is /r/general" },
  { example: "before:2026-03-01", meaning: "Sent before 1 March 2026 (UTC)" },
  { example: "after:2026-02-28", meaning: "Sent after 28 February 2026 (UTC)" },
  { example: "has:link", meaning: "Contains an http or https link" },
  { example: "is:thread", meaning: "Starts a thread or replies in one" },
] as const;

// A token is `key:value` (the value may be "quoted", straight or curly, to
// hold spaces; an unclosed quote runs to the end), a quoted phrase, or a run
// of non-space characters.
const TOKEN = /(\p{L}+):(?:"([^"]*)"?|“([^”]*)”?|(\S*))|"[^"]*"?|\S+/gu;

const DAY_MS = 86_400_000;

/** The UTC midnight starting a `YYYY-MM-DD` day, or null when it is no calendar date. */
export function utcDayStart(value: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const start = Date.UTC(year, month - 1, day);
  const back = new Date(start);
  // Date.UTC rolls 2026-02-30 over to March: a round trip catches it.
  const same =
    back.getUTCFullYear() === year && back.getUTCMonth() === month - 1 && back.getUTCDate() === day;
  return same ? start : null;
}

/** A room slug from what follows `in:`: the slug as typed, or a room name slugified. */
function slugOf(value: string): string {
  const bare = value.replace(/^#/, "").trim().toLowerCase();
  return /^[a-z0-9-]*$/.test(bare) ? bare : slugify(bare);
}

/** Reads the query a person typed: operators, then words. Never throws. */
export function parseSearchQuery(input: string): ParsedSearch {
  const query: SearchQuery = {
    words: [],
    from: [],
    in: [],
    before: null,
    after: null,
    hasLink: false,
    isThread: false,
  };
  const problems = new Set<string>();
  const notes = new Set<string>();
  const addWords = (text: string) => {
    query.words.push(...searchWords(text));
  };
  for (const match of input.normalize("NFKC").matchAll(TOKEN)) {
    const [token, rawKey, straight, curly, bare] = match;
    if (rawKey === undefined) {
      addWords(token);
      continue;
    }
    const key = rawKey.toLowerCase();
    const value = (straight ?? curly ?? bare ?? "").trim();
    const problem = applyOperator(query, key, value);
    if (problem === "unknown") {
      addWords(token);
      // "re:" or a URL's "https://" are ordinary text; only a key with a value reads as a typo.
      if (value && !value.startsWith("//")) {
        notes.add(`${rawKey}: is not a search operator, so “${token}” was searched as words.`);
      }
    } else if (problem) {
      problems.add(problem);
    }
  }
  query.words = [...new Set(query.words)].slice(0, MAX_WORDS);
  return { query, problems: [...problems], notes: [...notes] };
}

/** Applies one known operator; its problem, "unknown" for another key, or null. */
function applyOperator(query: SearchQuery, key: string, value: string): string | null {
  switch (key) {
    case "from": {
      const name = mentionHandle(value.replace(/^@/, ""));
      if (!name) return "from: needs a handle or a name, like from:@ann or from:ann.";
      if (!query.from.includes(name)) query.from.push(name);
      return null;
    }
    case "in": {
      const slug = slugOf(value);
      if (!slug) return "in: needs a room, like in:general.";
      if (!query.in.includes(slug)) query.in.push(slug);
      return null;
    }
    case "before":
    case "after": {
      const start = utcDayStart(value);
      if (start === null) {
        const shown = value ? `“${key}:${value}” is not a date` : `${key}: needs a date`;
        return `${shown}: write ${key}:YYYY-MM-DD, for example ${key}:2026-03-01 (UTC).`;
      }
      if (key === "before") query.before = Math.min(query.before ?? start, start);
      else query.after = Math.max(query.after ?? 0, start + DAY_MS);
      return null;
    }
    case "has":
      if (value.toLowerCase() !== "link") return "has: takes only link (has:link).";
      query.hasLink = true;
      return null;
    case "is":
      if (value.toLowerCase() !== "thread") return "is: takes only thread (is:thread).";
      query.isThread = true;
      return null;
    default:
      return "unknown";
  }
}

/** Whether a query asks for nothing (no words and no operator): such a search finds nothing. */
export function isEmptySearch(query: SearchQuery): boolean {
  return (
    query.words.length === 0 &&
    query.from.length === 0 &&
    query.in.length === 0 &&
    query.before === null &&
    query.after === null &&
    !query.hasLink &&
    !query.isThread
  );
}

// What client/messages.ts splitLinks turns into a link: a test keeps the two in step.
const LINK = /\bhttps?:\/\/[^\s<>"']/i;

/** Whether message text holds an http(s) link, by the same rule the message view uses. */
export function hasLink(text: string): boolean {
  return LINK.test(text);
}
