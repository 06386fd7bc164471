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
