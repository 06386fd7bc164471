import { describe, expect, it } from "vitest";
import { avatarColour, initials } from "../../src/client/avatar";
import { isEmojiOnly } from "../../src/client/emoji-only";
import { dayKey, dayLabel, fullTime, previousDayKey } from "../../src/client/log-dates";
import { type Groupable, placeMessages } from "../../src/client/log-grouping";

const ada = { id: "u-ada", name: "Ada" };
const bo = { id: "u-bo", name: "Bo" };
let seq = 0;
function msg(author: typeof ada, createdAt: string, extra: Partial<Groupable> = {}): Groupable {
  seq += 1;
  return { seq, author, createdAt, deleted: false, ...extra };
}
const starts = (list: Groupable[], zone = "UTC", breakBefore?: (seq: number) => boolean) =>
  placeMessages(list, zone, breakBefore).map((p) => p.startsGroup);

describe("grouping the log", () => {
  it("groups one author's messages within 5 minutes of the previous one", () => {
    const list = [
      msg(ada, "2026-11-30T10:00:00Z"),
      msg(ada, "2026-11-30T10:04:59Z"),
      msg(ada, "2026-11-30T10:09:59Z"), // 5:00 after the previous: still grouped
      msg(ada, "2026-11-30T10:15:00Z"), // 5:01 after: a new group
    ];
    expect(starts(list)).toEqual([true, false, false, true]);
  });

  it("breaks on another author, a clock that went back, and what the log puts between", () => {
    const list = [
      msg(ada, "2026-11-30T10:00:00Z"),
      msg(bo, "2026-11-30T10:01:00Z"),
      msg(ada, "2026-11-30T10:02:00Z"),
      msg(ada, "2026-11-30T10:01:30Z"),
      msg(ada, "2026-11-30T10:02:00Z"),
      msg(ada, "2026-11-30T10:02:10Z"),
    ];
    const lastSeq = list[5]?.seq ?? 0;
    expect(starts(list, "UTC", (s) => s === lastSeq)).toEqual([
      true,
      true,
      true,
      true,
      false,
      true,
    ]);
  });

  it("one webhook posting under two usernames is two senders (issue 15)", () => {
    const hook = { id: "bot_wh", name: "CI", bot: true as const };
    const list = [
      msg(hook, "2026-11-30T10:00:00Z", { via: { webhook: "CI", username: "deploy" } }),
      msg(hook, "2026-11-30T10:00:10Z", { via: { webhook: "CI", username: "deploy" } }),
      msg(hook, "2026-11-30T10:00:20Z", { via: { webhook: "CI", username: "pager" } }),
      msg(hook, "2026-11-30T10:00:30Z", { via: { webhook: "CI" } }),
      msg(hook, "2026-11-30T10:00:40Z", { via: { webhook: "CI" } }),
    ];
    expect(starts(list)).toEqual([true, false, true, true, false]);
  });

  it("a person's slash-command answer stands apart from their own words (issue 15)", () => {
    const list = [
      msg(ada, "2026-11-30T10:00:00Z"),
      msg(ada, "2026-11-30T10:00:10Z", { via: { webhook: "/deploy" } }),
      msg(ada, "2026-11-30T10:00:20Z", { via: { webhook: "/deploy" } }),
      msg(ada, "2026-11-30T10:00:30Z", { via: { webhook: "/weather" } }),
      msg(ada, "2026-11-30T10:00:40Z"),
    ];
    expect(starts(list)).toEqual([true, true, false, true, true]);
  });

  it("a deleted message and a thread reply shown in the room stand alone", () => {
    const list = [
      msg(ada, "2026-11-30T10:00:00Z"),
      msg(ada, "2026-11-30T10:00:10Z", { deleted: true }),
      msg(ada, "2026-11-30T10:00:20Z"),
      msg(ada, "2026-11-30T10:00:30Z", { threadRootId: "root" }),
      msg(ada, "2026-11-30T10:00:40Z"),
      msg(ada, "2026-11-30T10:00:50Z"),
    ];
    expect(starts(list)).toEqual([true, true, true, true, true, false]);
  });

  it("a new day breaks a group at the reader's midnight, not UTC's", () => {
    // 23:58 and 00:02 in New York (UTC-5) are 04:58 and 05:02 UTC: one day in UTC, two in New York.
    const list = [msg(ada, "2026-12-01T04:58:00Z"), msg(ada, "2026-12-01T05:02:00Z")];
    expect(placeMessages(list, "UTC").map((p) => [p.newDay, p.startsGroup])).toEqual([
      [true, true],
      [false, false],
    ]);
    const ny = placeMessages(list, "America/New_York");
    expect(ny.map((p) => p.day)).toEqual(["2026-11-30", "2026-12-01"]);
    expect(ny.map((p) => [p.newDay, p.startsGroup])).toEqual([
      [true, true],
      [true, true],
    ]);
    // And in Tokyo (UTC+9) 23:58 and 00:02 UTC on Nov 30 are 08:58 and 09:02 the same day.
    const utcMidnight = [msg(ada, "2026-11-30T23:58:00Z"), msg(ada, "2026-12-01T00:02:00Z")];
    expect(starts(utcMidnight, "UTC")).toEqual([true, true]);
    expect(starts(utcMidnight, "Asia/Tokyo")).toEqual([true, false]);
  });

  it("places an empty log as nothing", () => {
    expect(placeMessages([], "UTC")).toEqual([]);
  });
});

describe("date dividers", () => {
  const now = new Date("2026-11-30T15:00:00Z"); // Monday, November 30, 2026 (UTC)

  it("says Today, Yesterday, then the weekday and date, with the year when not this year", () => {
    expect(dayLabel("2026-11-30T00:00:00Z", now, "UTC", "en-US")).toBe("Today");
    expect(dayLabel("2026-11-29T23:59:59Z", now, "UTC", "en-US")).toBe("Yesterday");
    expect(dayLabel("2026-11-29T00:00:00Z", now, "UTC", "en-US")).toBe("Yesterday");
    expect(dayLabel("2026-11-28T23:59:59Z", now, "UTC", "en-US")).toBe("Saturday, November 28");
    expect(dayLabel("2026-01-01T12:00:00Z", now, "UTC", "en-US")).toBe("Thursday, January 1");
    expect(dayLabel("2025-12-31T12:00:00Z", now, "UTC", "en-US")).toBe(
      "Wednesday, December 31, 2025",
    );
  });

  it("counts days in the reader's zone, around midnight", () => {
    // 01:00 UTC on Nov 30 is still Nov 29 in Los Angeles (UTC-8), where now is Nov 30 07:00.
    expect(dayLabel("2026-11-30T01:00:00Z", now, "UTC", "en-US")).toBe("Today");
    expect(dayLabel("2026-11-30T01:00:00Z", now, "America/Los_Angeles", "en-US")).toBe("Yesterday");
    // Kiritimati (UTC+14): now is already Dec 1 there, 05:00.
    expect(dayLabel("2026-11-30T10:00:00Z", now, "Pacific/Kiritimati", "en-US")).toBe("Today");
    expect(dayLabel("2026-11-30T09:59:00Z", now, "Pacific/Kiritimati", "en-US")).toBe("Yesterday");
    // At one minute past the reader's midnight, the evening before is Yesterday.
    const justAfter = new Date("2026-12-01T05:01:00Z"); // 00:01 in New York
    expect(dayLabel("2026-12-01T04:59:00Z", justAfter, "America/New_York", "en-US")).toBe(
      "Yesterday",
    );
    expect(dayLabel("2026-12-01T05:00:30Z", justAfter, "America/New_York", "en-US")).toBe("Today");
  });

  it("Yesterday is a calendar day: across a DST change and a new year", () => {
    // Europe/Berlin leaves DST on 2026-10-25 (a 25-hour day).
    const afterDst = new Date("2026-10-26T00:30:00+01:00");
    expect(dayLabel("2026-10-25T00:10:00+02:00", afterDst, "Europe/Berlin", "en-US")).toBe(
      "Yesterday",
    );
    expect(previousDayKey("2027-01-01")).toBe("2026-12-31");
    expect(previousDayKey("2028-03-01")).toBe("2028-02-29");
    const newYear = new Date("2027-01-01T10:00:00Z");
    expect(dayLabel("2026-12-31T10:00:00Z", newYear, "UTC", "en-US")).toBe("Yesterday");
    expect(dayLabel("2026-12-30T10:00:00Z", newYear, "UTC", "en-US")).toBe(
      "Wednesday, December 30, 2026",
    );
  });

  it("keys days by the zone's calendar date", () => {
    expect(dayKey("2026-11-30T23:30:00Z", "UTC")).toBe("2026-11-30");
    expect(dayKey("2026-11-30T23:30:00Z", "Asia/Kolkata")).toBe("2026-12-01");
    expect(dayKey(new Date("2026-03-05T02:00:00Z"), "America/Chicago")).toBe("2026-03-04");
  });

  it("writes the full date and time for the tooltip and screen readers", () => {
    const full = fullTime("2026-11-30T08:09:00Z", "UTC", "en-US");
    expect(full).toContain("Monday, November 30, 2026");
    expect(full).toContain("8:09");
    expect(fullTime("2026-11-30T08:09:00Z", "Asia/Tokyo", "en-US")).toContain("5:09");
  });
});

describe("emoji-only messages", () => {
  it("are 1 to 3 emoji and nothing else", () => {
    for (const text of ["🎉", "👍🏽", "🎉🎉🎉", " 🚀 ✨ ", "👨‍👩‍👧", "🇫🇷🇩🇪", "❤️"]) {
      expect(isEmojiOnly(text), text).toBe(true);
    }
  });

  it("are not text, four emoji, digits or bare symbols", () => {
    for (const text of ["", "  ", "🎉🎉🎉🎉", "yay 🎉", "🎉!", "1", "12", "©", ":)", "🏽"]) {
      expect(isEmojiOnly(text), text).toBe(false);
    }
  });
});

describe("avatars", () => {
  it("take the first letters of the first and last words", () => {
    expect(initials("Ada Lovelace")).toBe("AL");
    expect(initials("  bo  ")).toBe("B");
    expect(initials("Grace Brewster Hopper")).toBe("GH");
    expect(initials("émile zola")).toBe("ÉZ");
    expect(initials("")).toBe("?");
  });

  it("keep one colour per user id, spread over the palette", () => {
    expect(avatarColour("u-ada")).toBe(avatarColour("u-ada"));
    const colours = new Set(Array.from({ length: 64 }, (_, i) => avatarColour(`user-${i}`)));
    expect(colours.size).toBeGreaterThan(4);
  });
});
