import { isReactionEmoji } from "../protocol/reaction-emoji";
import { graphemeLength } from "../protocol/text-length";

/**
 * Profiles beyond the name (issue 14): a status (text, one emoji and an
 * expiry), a time zone and an avatar. Pure rules, shared by the server fns
 * (which check what is saved) and the UI (which offers the same choices and
 * drops a status the moment it expires).
 */

/** Longest status text, in characters as people see them. */
export const STATUS_MAX = 100;

/** The "Clear after" choices, in the order the select offers them. */
export const CLEAR_AFTER = ["30m", "1h", "4h", "today", "week", "never"] as const;
export type ClearAfter = (typeof CLEAR_AFTER)[number];

export const CLEAR_AFTER_LABELS: Record<ClearAfter, string> = {
  "30m": "30 minutes",
  "1h": "1 hour",
  "4h": "4 hours",
  today: "Today",
  week: "This week",
  never: "Never",
};

/** A status as stored and shown; `expiresAt` ms since the epoch, null for never. */
export type ProfileStatus = { text: string; emoji: string | null; expiresAt: number | null };

/** The status people may see at `now`: null once it expired (or when there is none). */
export function visibleStatus(
  status: ProfileStatus | null | undefined,
  now: number,
): ProfileStatus | null {
  if (!status) return null;
  if (status.text === "" && status.emoji === null) return null;
  if (status.expiresAt !== null && status.expiresAt <= now) return null;
  return status;
}

/** Whether `zone` names a time zone this runtime knows (IANA names, "UTC"). */
export function isTimeZone(zone: unknown): zone is string {
  if (typeof zone !== "string" || zone.length === 0 || zone.length > 64) return false;
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The wall clock in `zone` at `at`: year, month (1-12), day, hour, minute, second, weekday (0 Sunday). */
function wallClock(at: number, zone: string) {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
    weekday: "short",
  }).formatToParts(new Date(at));
  const get = (type: string) => parts.find((part) => part.type === type)?.value ?? "0";
  const weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  return {
    year: Number(get("year")),
    month: Number(get("month")),
    day: Number(get("day")),
    hour: Number(get("hour")),
    minute: Number(get("minute")),
    second: Number(get("second")),
    weekday: weekdays.indexOf(get("weekday")),
  };
}

/** The instant the wall clock in `zone` shows midnight starting the day `days` after `at`'s day. */
function midnightAfter(at: number, zone: string, days: number): number {
  const now = wallClock(at, zone);
  const target = Date.UTC(now.year, now.month - 1, now.day + days);
  // The zone's offset near the target, found by asking what the wall clock shows there
  // (twice: a change of offset between now and the target moves it once).
  let guess = target;
  for (let i = 0; i < 2; i++) {
    const shown = wallClock(guess, zone);
    const shownUtc = Date.UTC(
      shown.year,
      shown.month - 1,
      shown.day,
      shown.hour,
      shown.minute,
      shown.second,
    );
    guess += target - shownUtc;
  }
  return guess;
}

/**
 * When a status chosen at `now` clears: after 30 minutes, 1 hour or 4 hours;
 * "today" at the next midnight and "week" at the midnight ending Sunday, both
 * on the wall clock of the person's time zone; null for never.
 */
export function statusExpiry(clearAfter: ClearAfter, now: number, zone: string): number | null {
  switch (clearAfter) {
    case "30m":
      return now + 30 * 60_000;
    case "1h":
      return now + 3_600_000;
    case "4h":
      return now + 4 * 3_600_000;
    case "today":
      return midnightAfter(now, zone, 1);
    case "week": {
      // Weeks end on Sunday night (ISO weeks start on Monday).
      const weekday = wallClock(now, zone).weekday;
      return midnightAfter(now, zone, weekday === 0 ? 1 : 8 - weekday);
    }
    case "never":
      return null;
  }
}

export type DetailsField = "status" | "emoji" | "clearAfter" | "timeZone";

export type DetailsCheck =
  | { ok: true; status: ProfileStatus | null; timeZone: string | null }
  | { ok: false; field: DetailsField; error: string };

/**
 * Checks a saved status and time zone. An empty text with no emoji clears
 * the status; the emoji is one the picker offers (the reactions' rule); the
 * zone is an IANA name, or empty for "not set" (the expiry of "today" then
 * follows `fallbackZone`, the browser's).
 */
export function checkDetails(
  input: { status: string; emoji: string; clearAfter: string; timeZone: string },
  now: number,
  fallbackZone = "UTC",
): DetailsCheck {
  const text = input.status.trim().replace(/\s+/g, " ");
  if (graphemeLength(text) > STATUS_MAX) {
    return {
      ok: false,
      field: "status",
      error: `A status can be at most ${STATUS_MAX} characters.`,
    };
  }
  const emoji = input.emoji.trim();
  if (emoji !== "" && !isReactionEmoji(emoji)) {
    return { ok: false, field: "emoji", error: "Choose one emoji from the picker." };
  }
  if (!(CLEAR_AFTER as readonly string[]).includes(input.clearAfter)) {
    return {
      ok: false,
      field: "clearAfter",
      error:
        "Choose when to clear the status: 30 minutes, 1 hour, 4 hours, today, this week or never.",
    };
  }
  const zone = input.timeZone.trim();
  if (zone !== "" && !isTimeZone(zone)) {
    return { ok: false, field: "timeZone", error: "Choose a time zone from the list." };
  }
  const timeZone = zone === "" ? null : zone;
  if (text === "" && emoji === "") return { ok: true, status: null, timeZone };
  const expiresAt = statusExpiry(
    input.clearAfter as ClearAfter,
    now,
    timeZone ?? (isTimeZone(fallbackZone) ? fallbackZone : "UTC"),
  );
  return { ok: true, status: { text, emoji: emoji === "" ? null : emoji, expiresAt }, timeZone };
}

/** "14:05" in `zone` at `at`, or null when the zone is unknown. */
export function localTime(at: number, zone: string, locale?: string): string | null {
  if (!isTimeZone(zone)) return null;
  return new Intl.DateTimeFormat(locale, {
    timeZone: zone,
    hour: "numeric",
    minute: "2-digit",
  }).format(new Date(at));
}

/** Largest avatar upload, bytes. */
export const AVATAR_MAX_BYTES = 2 * 1024 * 1024;
/** Side of the stored (square) avatar, pixels. */
export const AVATAR_SIDE = 256;
/** The picture types an avatar may be. */
export const AVATAR_TYPES = ["image/png", "image/jpeg", "image/webp", "image/gif"] as const;

export const AVATAR_TOO_LARGE = "That picture is too large: an avatar can be at most 2 MB.";
export const AVATAR_NOT_IMAGE =
  "That file is not a picture: choose a PNG, JPEG, WebP or GIF image.";
export const AVATAR_UNREADABLE = "That picture could not be read: choose another image.";
