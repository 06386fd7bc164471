import type { WireUser } from "../protocol/frames";

const mentionPattern = /(^|[^\p{L}\p{N}_@])@([\p{L}\p{N}_.-]{1,64})/gu;

/** The lower-cased names written as `@name` in a text. */
export function mentionedNames(text: string): string[] {
  const names = new Set<string>();
  for (const match of text.matchAll(mentionPattern)) {
    names.add((match[2] ?? "").replace(/[.-]+$/, "").toLowerCase());
  }
  names.delete("");
  return [...names];
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

/** A name as it can be typed after `@`: lower case, spaces removed. */
export function mentionHandle(name: string): string {
  return name.toLowerCase().replace(/\s+/g, "");
}

/** The members a text mentions, by name (spaces in names may be left out). */
export function resolveMentions(text: string, members: readonly WireUser[]): string[] {
  const names = mentionedNames(text);
  if (names.length === 0) return [];
  const wanted = new Set(names);
  return members.filter((m) => wanted.has(mentionHandle(m.name))).map((m) => m.id);
}
