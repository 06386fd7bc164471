/**
 * Message retention (issue 15): "Keep messages for N days", server-wide
 * (the server_setting "retention_days") and per room (room.retention_days,
 * which overrides the server's). Null keeps messages forever. The sweep
 * (server/retention/) deletes what is older than the limit, as a delete
 * does: the seq stays, the text, reactions and files go, the rev moves.
 */
export const DAY_MS = 86_400_000;

/** Ten years: past that, "forever" (an empty field) says what is meant. */
export const MAX_RETENTION_DAYS = 3650;

export type RetentionCheck = { ok: true; days: number | null } | { ok: false; error: string };

/**
 * Reads a retention value as an admin typed it: empty (or null) is
 * forever; otherwise a whole number of days from 1 to MAX_RETENTION_DAYS.
 * Anything else is refused with a sentence to show beside the field.
 */
export function checkRetentionDays(value: unknown): RetentionCheck {
  if (value === null || value === undefined) return { ok: true, days: null };
  const text =
    typeof value === "number"
      ? String(value)
      : typeof value === "string"
        ? value.trim()
        : undefined;
  if (text === undefined) return { ok: false, error: "Give a number of days, or leave it empty." };
  if (text === "") return { ok: true, days: null };
  if (!/^-?\d+(\.\d+)?$/.test(text)) {
    return {
      ok: false,
      error: "Give a whole number of days, or leave it empty to keep messages forever.",
    };
  }
  const days = Number(text);
  if (days < 1) {
    return {
      ok: false,
      error: "Keep messages for at least 1 day, or leave it empty to keep them forever.",
    };
  }
  if (!Number.isInteger(days)) return { ok: false, error: "Give a whole number of days." };
  if (days > MAX_RETENTION_DAYS) {
    return {
      ok: false,
      error: `At most ${MAX_RETENTION_DAYS} days; leave it empty to keep messages forever.`,
    };
  }
  return { ok: true, days };
}

/** The limit that applies to a room: its own, else the server's; null is forever. */
export function retentionOf(
  roomDays: number | null | undefined,
  serverDays: number | null,
): number | null {
  return roomDays ?? serverDays;
}

/** Messages created before this instant are past the limit. */
export function retentionCutoff(days: number, now: number): number {
  return now - days * DAY_MS;
}
