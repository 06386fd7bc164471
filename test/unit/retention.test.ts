import { describe, expect, it } from "vitest";
import {
  checkRetentionDays,
  DAY_MS,
  MAX_RETENTION_DAYS,
  retentionCutoff,
  retentionOf,
} from "../../src/core/retention";

describe("checkRetentionDays", () => {
  it.each([
    [null, null],
    [undefined, null],
    ["", null],
    ["   ", null],
    ["30", 30],
    [" 7 ", 7],
    [1, 1],
    [String(MAX_RETENTION_DAYS), MAX_RETENTION_DAYS],
  ] as const)("accepts %j as %j", (value, days) => {
    expect(checkRetentionDays(value)).toEqual({ ok: true, days });
  });

  it.each([
    ["-1", "at least 1 day"],
    [-5, "at least 1 day"],
    ["0", "at least 1 day"],
    ["1.5", "whole number"],
    [2.25, "whole number"],
    ["ten", "whole number"],
    ["1e3", "whole number"],
    [String(MAX_RETENTION_DAYS + 1), `At most ${MAX_RETENTION_DAYS} days`],
    ["99999999999999999999", `At most ${MAX_RETENTION_DAYS} days`],
    [true, "number of days"],
    [{}, "number of days"],
  ] as const)("refuses %j", (value, words) => {
    const answer = checkRetentionDays(value);
    expect(answer.ok).toBe(false);
    if (!answer.ok) expect(answer.error).toContain(words);
  });
});

describe("retentionOf and retentionCutoff", () => {
  it("a room's own limit overrides the server's; null is forever", () => {
    expect(retentionOf(3, 30)).toBe(3);
    expect(retentionOf(null, 30)).toBe(30);
    expect(retentionOf(undefined, 30)).toBe(30);
    expect(retentionOf(null, null)).toBeNull();
    expect(retentionOf(90, null)).toBe(90);
  });

  it("the cutoff is that many whole days before now", () => {
    expect(retentionCutoff(2, 10 * DAY_MS)).toBe(8 * DAY_MS);
  });
});
