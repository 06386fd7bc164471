import type { WireUser } from "../protocol/frames";

// An `@` not glued to a word (so `bob@example.com` is an email, not a
// mention), then a handle; trailing dots and dashes end the sentence.
const mentionPattern = /(^|[^\p{L}\p{N}_@])@([\p{L}\p{N}_.-]{1,64})/gu;

/** One `@name` in a text: where its `@` is, and the name as typed (trailing dots and dashes cut). */
export type MentionSpan = { start: number; name: string };

/** Every `@name` in a text, in order. Shared with the client's painting (text-parts). */
export function mentionSpans(text: string): MentionSpan[] {
  const spans: MentionSpan[] = [];
  for (const match of text.matchAll(mentionPattern)) {
    const name = (match[2] ?? "").replace(/[.-]+$/, "");
    if (!name) continue;
    spans.push({ start: (match.index ?? 0) + (match[1] ?? "").length, name });
  }
  return spans;
}

/** The lower-cased names written as `@name` in a text. */
export function mentionedNames(text: string): string[] {
  return [...new Set(mentionSpans(text).map((span) => span.name.toLowerCase()))];
}

/**
 * Room-wide mentions: `@here` mentions the members online when it is sent,
 * `@channel` and `@all` every member.
 */
export const ROOM_WIDE_MENTIONS: ReadonlySet<string> = new Set(["here", "channel", "all"]);

/** Whom a text mentions room-wide: "everyone" (@channel, @all), "online" (@here), or null. */
export function roomWideMention(text: string): "everyone" | "online" | null {
  if (!text.includes("@")) return null;
  const names = mentionedNames(text);
  if (names.includes("channel") || names.includes("all")) return "everyone";
  return names.includes("here") ? "online" : null;
}

/**
 * A display name as a search key: lower case, spaces removed. Used by
 * search's `from:` filter; mentions no longer match names (they match handles).
 */
export function mentionHandle(name: string): string {
  return name.toLowerCase().replace(/\s+/g, "");
}

/** The members a text mentions, by handle (case-insensitive). */
export function resolveMentions(text: string, members: readonly WireUser[]): string[] {
  if (!text.includes("@")) return [];
  const wanted = new Set(mentionedNames(text));
  if (wanted.size === 0) return [];
  return members.filter((m) => m.handle && wanted.has(m.handle)).map((m) => m.id);
}

/**
 * The `@handle`s of a text that name no member and are not room-wide, in
 * order of first use: the author is offered to invite them. Only names
 * that could be a handle count (so "@Zoë" or "@x" are just text).
 */
export function unresolvedMentions(text: string, members: readonly WireUser[]): string[] {
  if (!text.includes("@")) return [];
  const known = new Set(members.flatMap((m) => (m.handle ? [m.handle] : [])));
  return mentionedNames(text).filter(
    (name) => !ROOM_WIDE_MENTIONS.has(name) && !known.has(name) && /^[a-z0-9._-]{2,32}$/.test(name),
  );
}
