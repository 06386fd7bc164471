/**
 * Room settings (issue 14): what a room's moderators and the server's
 * admins change about a room, and the rules its values follow. Shared by
 * the socket action (core/actions/room-settings.ts), the store and the
 * "Room settings" dialog, so the dialog refuses early with the same words.
 */
import { forbiddenCharacter, graphemeLength } from "./names";
import { checkRoomName } from "./rooms";

/** The longest topic, in user-perceived characters (graphemes). */
export const ROOM_TOPIC_MAX = 250;
/** A code-unit backstop behind ROOM_TOPIC_MAX. */
const ROOM_TOPIC_MAX_UNITS = 4 * ROOM_TOPIC_MAX;

/** What a `room_settings` frame may change; at least one field. */
export type RoomSettingsPatch = { name?: string; topic?: string; announcementOnly?: boolean };

/** A patch checked: the name with its slug and skeleton, the topic as stored (null for none). */
export type CheckedRoomSettings = {
  name?: { name: string; slug: string; skeleton: string };
  topic?: string | null;
  announcementOnly?: boolean;
};

/** Which field a refusal is about, so the dialog shows it next to that field. */
export type RoomSettingsField = "name" | "topic" | "announcementOnly";

export type RoomSettingsCheck =
  | { ok: true; settings: CheckedRoomSettings }
  | { ok: false; field?: RoomSettingsField; error: string };

/**
 * A topic as typed: trimmed, whitespace runs collapsed to one space (a
 * topic is one line), empty meaning "no topic"; no control or invisible
 * characters, at most ROOM_TOPIC_MAX characters.
 */
export function checkTopic(
  input: string,
): { ok: true; topic: string | null } | { ok: false; error: string } {
  if (!input.isWellFormed()) {
    return { ok: false, error: "Topics cannot contain an unpaired surrogate." };
  }
  const spaced = input.normalize("NFC").replace(/[\t\n\r]/g, " ");
  const bad = forbiddenCharacter(spaced);
  if (bad) {
    return {
      ok: false,
      error: `Topics cannot contain control, formatting or invisible characters (${bad}).`,
    };
  }
  const topic = spaced.replace(/\s+/g, " ").trim();
  if (topic.length === 0) return { ok: true, topic: null };
  if (topic.length > ROOM_TOPIC_MAX_UNITS || graphemeLength(topic) > ROOM_TOPIC_MAX) {
    return { ok: false, error: `Topics are at most ${ROOM_TOPIC_MAX} characters.` };
  }
  return { ok: true, topic };
}

/** Checks every field a patch carries; the first bad one is named. */
export function checkRoomSettings(patch: RoomSettingsPatch): RoomSettingsCheck {
  const settings: CheckedRoomSettings = {};
  if (
    patch.name === undefined &&
    patch.topic === undefined &&
    patch.announcementOnly === undefined
  ) {
    return { ok: false, error: "Nothing to change." };
  }
  if (patch.name !== undefined) {
    const checked = checkRoomName(patch.name);
    if (!checked.ok) return { ok: false, field: "name", error: checked.error };
    settings.name = { name: checked.name, slug: checked.slug, skeleton: checked.skeleton };
  }
  if (patch.topic !== undefined) {
    const checked = checkTopic(patch.topic);
    if (!checked.ok) return { ok: false, field: "topic", error: checked.error };
    settings.topic = checked.topic;
  }
  if (patch.announcementOnly !== undefined) settings.announcementOnly = patch.announcementOnly;
  return { ok: true, settings };
}

/** A room's settings as `room_updated` carries them, from a stored room. */
export function toRoomUpdate(room: {
  id: string;
  name: string;
  slug: string;
  topic?: string | null;
  announcementOnly?: boolean;
  archived?: boolean;
}): {
  id: string;
  name: string;
  slug: string;
  topic: string | null;
  announcementOnly: boolean;
  archived: boolean;
} {
  return {
    id: room.id,
    name: room.name,
    slug: room.slug,
    topic: room.topic ?? null,
    announcementOnly: room.announcementOnly === true,
    archived: room.archived === true,
  };
}
