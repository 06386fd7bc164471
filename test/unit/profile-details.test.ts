import { describe, expect, it } from "vitest";
import {
  checkDetails,
  isTimeZone,
  localTime,
  statusExpiry,
  visibleStatus,
} from "../../src/core/profile-details";

// Wednesday 2 December 2026, 10:00 UTC.
const NOW = Date.UTC(2026, 11, 2, 10, 0);
const input = { status: "Lunch", emoji: "🍜", clearAfter: "1h", timeZone: "Europe/Berlin" };

describe("status expiry", () => {
  it("clears after a fixed time", () => {
    expect(statusExpiry("30m", NOW, "UTC")).toBe(NOW + 30 * 60_000);
    expect(statusExpiry("1h", NOW, "UTC")).toBe(NOW + 3_600_000);
    expect(statusExpiry("4h", NOW, "UTC")).toBe(NOW + 4 * 3_600_000);
    expect(statusExpiry("never", NOW, "UTC")).toBeNull();
  });

  it("clears today at midnight on the person's own wall clock", () => {
    expect(statusExpiry("today", NOW, "UTC")).toBe(Date.UTC(2026, 11, 3));
    // Berlin is UTC+1 in December: its midnight is 23:00 UTC.
    expect(statusExpiry("today", NOW, "Europe/Berlin")).toBe(Date.UTC(2026, 11, 2, 23));
    // In Tokyo (UTC+9) it is already 19:00, so midnight is 15:00 UTC.
    expect(statusExpiry("today", NOW, "Asia/Tokyo")).toBe(Date.UTC(2026, 11, 2, 15));
    // At 20:00 in New York it is already the next day in UTC.
    const evening = Date.UTC(2026, 11, 3, 1);
    expect(statusExpiry("today", evening, "America/New_York")).toBe(Date.UTC(2026, 11, 3, 5));
  });

  it("clears this week at the midnight ending Sunday", () => {
    expect(statusExpiry("week", NOW, "UTC")).toBe(Date.UTC(2026, 11, 7));
    const sunday = Date.UTC(2026, 11, 6, 12);
    expect(statusExpiry("week", sunday, "UTC")).toBe(Date.UTC(2026, 11, 7));
    const monday = Date.UTC(2026, 11, 7, 0, 30);
    expect(statusExpiry("week", monday, "UTC")).toBe(Date.UTC(2026, 11, 14));
  });

  it("finds midnight across a daylight saving change", () => {
    // Berlin leaves summer time on 25 October 2026 at 03:00 local.
    const saturday = Date.UTC(2026, 9, 24, 20);
    expect(statusExpiry("today", saturday, "Europe/Berlin")).toBe(Date.UTC(2026, 9, 24, 22));
    expect(statusExpiry("week", saturday, "Europe/Berlin")).toBe(Date.UTC(2026, 9, 25, 23));
  });

  it("never shows an expired status, and shows one up to its expiry", () => {
    const status = { text: "Away", emoji: null, expiresAt: NOW };
    expect(visibleStatus(status, NOW - 1)).toEqual(status);
    expect(visibleStatus(status, NOW)).toBeNull();
    expect(visibleStatus({ ...status, expiresAt: null }, NOW + 1e12)).not.toBeNull();
    expect(visibleStatus({ text: "", emoji: null, expiresAt: null }, NOW)).toBeNull();
    expect(visibleStatus(null, NOW)).toBeNull();
  });
});

describe("time zones", () => {
  it("accepts IANA names and UTC", () => {
    expect(isTimeZone("Europe/Berlin")).toBe(true);
    expect(isTimeZone("America/Argentina/Buenos_Aires")).toBe(true);
    expect(isTimeZone("UTC")).toBe(true);
    for (const zone of Intl.supportedValuesOf("timeZone")) expect(isTimeZone(zone)).toBe(true);
  });

  it("refuses what is not a zone", () => {
    for (const zone of ["", "Mars/Olympus", "Europe/Berlin; drop", "../etc", "x".repeat(65), 3]) {
      expect(isTimeZone(zone)).toBe(false);
    }
  });

  it("writes the local time in a zone", () => {
    expect(localTime(NOW, "Asia/Tokyo", "en-GB")).toBe("19:00");
    expect(localTime(NOW, "Nowhere/Else", "en-GB")).toBeNull();
  });
});

describe("checkDetails", () => {
  it("stores a checked status with its expiry", () => {
    expect(checkDetails({ ...input, status: "  Lunch   break " }, NOW)).toEqual({
      ok: true,
      status: { text: "Lunch break", emoji: "🍜", expiresAt: NOW + 3_600_000 },
      timeZone: "Europe/Berlin",
    });
  });

  it("clears the status when text and emoji are empty", () => {
    expect(checkDetails({ ...input, status: " ", emoji: "" }, NOW)).toEqual({
      ok: true,
      status: null,
      timeZone: "Europe/Berlin",
    });
  });

  it("takes 100 characters and refuses 101", () => {
    expect(checkDetails({ ...input, status: "é".repeat(100) }, NOW).ok).toBe(true);
    expect(checkDetails({ ...input, status: "a".repeat(101) }, NOW)).toEqual({
      ok: false,
      field: "status",
      error: "A status can be at most 100 characters.",
    });
  });

  it("refuses a bad emoji, a bad expiry and a bad zone, naming the field", () => {
    for (const emoji of ["no", "🍜🍜", "🏻", "a🍜"]) {
      expect(checkDetails({ ...input, emoji }, NOW)).toMatchObject({ ok: false, field: "emoji" });
    }
    expect(checkDetails({ ...input, clearAfter: "2d" }, NOW)).toMatchObject({
      ok: false,
      field: "clearAfter",
    });
    expect(checkDetails({ ...input, timeZone: "Mars/Olympus" }, NOW)).toEqual({
      ok: false,
      field: "timeZone",
      error: "Choose a time zone from the list.",
    });
  });

  it("uses the fallback zone for today when none is set", () => {
    const checked = checkDetails(
      { ...input, clearAfter: "today", timeZone: "" },
      NOW,
      "Asia/Tokyo",
    );
    expect(checked).toEqual({
      ok: true,
      status: { text: "Lunch", emoji: "🍜", expiresAt: Date.UTC(2026, 11, 2, 15) },
      timeZone: null,
    });
  });
});
