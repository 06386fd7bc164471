import { describe, expect, it } from "vitest";
import { createServerLimits, waitText } from "../../src/server/fns/limits.server";

const config = {
  roomsPerHour: 3,
  dmsPerHour: 2,
  invitesPerHour: 5,
  searchesPerSecond: 2,
  pagesPerSecond: 4,
};

describe("server action limits (issue 18, F-10)", () => {
  it("allows an hourly budget at once, then refuses with the wait, per user and action", () => {
    let now = 0;
    const limits = createServerLimits(config, () => now);
    expect([1, 2, 3].map(() => limits.take("room", "ann"))).toEqual([0, 0, 0]);
    const wait = limits.take("room", "ann");
    // One room per 20 minutes comes back.
    expect(wait).toBe(1_200_000);
    expect(limits.describe("room", wait)).toBe("Too many new rooms: try again in 20 min.");
    expect(limits.take("room", "bob")).toBe(0);
    expect(limits.take("dm", "ann")).toBe(0);
    now += 1_200_000;
    expect(limits.take("room", "ann")).toBe(0);
    expect(limits.take("room", "ann")).toBeGreaterThan(0);
  });

  it("per-second limits allow a burst of three seconds' worth", () => {
    const now = 0;
    const limits = createServerLimits(config, () => now);
    const answers = Array.from({ length: 8 }, () => limits.take("search", "ann"));
    expect(answers.filter((w) => w === 0)).toHaveLength(6);
    expect(limits.describe("search", answers[7] ?? 0)).toBe("Too many searches: try again in 1 s.");
    expect(limits.take("user_search", "ann")).toBe(0);
  });

  it("writes waits people can read", () => {
    expect(waitText(1)).toBe("1 s");
    expect(waitText(61_000)).toBe("61 s");
    expect(waitText(180_000)).toBe("3 min");
    expect(waitText(3 * 3_600_000)).toBe("3 h");
  });
});
