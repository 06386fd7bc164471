/** Rules for room names and slugs, shared by server functions and the UI. */

export const ROOM_NAME_MAX = 60;
export const GENERAL_ROOM = { slug: "general", name: "general" } as const;

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

export type RoomNameCheck = { ok: true; name: string; slug: string } | { ok: false; error: string };

/** Validates a room name typed by a person and derives its slug. */
export function checkRoomName(input: string): RoomNameCheck {
  const name = input.trim().replace(/\s+/g, " ");
  if (name.length === 0) return { ok: false, error: "Enter a room name." };
  if (name.length > ROOM_NAME_MAX) {
    return { ok: false, error: `Room names are at most ${ROOM_NAME_MAX} characters.` };
  }
  const slug = slugify(name);
  if (slug.length === 0) return { ok: false, error: "Use at least one letter or digit." };
  return { ok: true, name, slug };
}

/** The pub/sub topic that carries a room's live events. */
export function roomTopic(roomId: string): string {
  return `room:${roomId}`;
}
