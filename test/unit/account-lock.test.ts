import { describe, expect, it } from "vitest";
import {
  FAILURES_BEFORE_LOCK,
  lockDuration,
  lockKey,
  MAX_LOCK_MS,
} from "../../src/server/auth/account-lock.server";

describe("lockDuration", () => {
  it("locks from the fifth failure on, doubling each time, up to an hour", () => {
    expect(FAILURES_BEFORE_LOCK).toBe(5);
    expect([1, 2, 3, 4].map((n) => lockDuration(n, 30_000))).toEqual([0, 0, 0, 0]);
    expect([5, 6, 7, 8].map((n) => lockDuration(n, 30_000))).toEqual([
      30_000, 60_000, 120_000, 240_000,
    ]);
    expect(lockDuration(50, 30_000)).toBe(MAX_LOCK_MS);
    expect(lockDuration(10_000, 1_000)).toBe(MAX_LOCK_MS);
  });

  it("keys emails as better-auth compares them", () => {
    expect(lockKey("Dana@Example.TEST")).toBe("dana@example.test");
  });
});
