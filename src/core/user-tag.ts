/**
 * A short, stable tag derived from a user id ("3f9a"), shown beside a
 * display name wherever a name alone could be ambiguous (member lists, the
 * invite picker): two people called "Dana" look different, and an invite
 * names the person by id, never by name. Not a secret and not unique (65,536
 * values): it only tells apart the few people who share a name, and the
 * everyday-experience issue replaces it with unique handles.
 */
export function userTag(userId: string): string {
  // FNV-1a over the id's UTF-16 code units: pure, the same in the browser
  // and on the server, so the client derives tags from member ids itself.
  let hash = 0x811c9dc5;
  for (let i = 0; i < userId.length; i++) {
    hash ^= userId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return (hash & 0xffff).toString(16).padStart(4, "0");
}

/** "Dana #3f9a": a display name with its tag. */
export function nameWithTag(user: { id: string; name: string }): string {
  return `${user.name} #${userTag(user.id)}`;
}
