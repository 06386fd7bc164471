import { describe, expect, it } from "vitest";
import {
  FETCH_COST,
  FrameLimiter,
  frameCost,
  RESUME_COST,
  TokenBucket,
} from "../../src/core/rate-limit";

describe("TokenBucket", () => {
  it("allows a burst, then one token per 1/rate seconds", () => {
    const bucket = new TokenBucket(10, 3, 0);
    expect([bucket.take(0), bucket.take(0), bucket.take(0)]).toEqual([0, 0, 0]);
    expect(bucket.take(0)).toBe(100);
    expect(bucket.take(50)).toBe(50);
    expect(bucket.take(100)).toBe(0);
  });

  it("spends several tokens for a costly frame, and waits for all of them", () => {
    const bucket = new TokenBucket(10, 6, 0);
    expect(bucket.take(0, 5)).toBe(0);
    expect(bucket.take(0, 5)).toBe(400);
    expect(bucket.take(400, 5)).toBe(0);
    // A cost above the burst is capped at it, so the frame can still pass.
    expect(new TokenBucket(10, 3, 0).take(0, 50)).toBe(0);
  });

  it("never holds more than the burst", () => {
    const bucket = new TokenBucket(10, 2, 0);
    expect([bucket.take(60_000), bucket.take(60_000), bucket.take(60_000)]).toEqual([0, 0, 100]);
  });
});

describe("FrameLimiter", () => {
  it("limits by the connection's bucket and by the user's shared bucket", () => {
    const user = new TokenBucket(1, 3, 0);
    const tab1 = new FrameLimiter(new TokenBucket(100, 100, 0), user);
    const tab2 = new FrameLimiter(new TokenBucket(100, 100, 0), user);
    expect(tab1.admit(0)).toEqual({ kind: "allow" });
    expect(tab2.admit(0)).toEqual({ kind: "allow" });
    expect(tab1.admit(0)).toEqual({ kind: "allow" });
    expect(tab2.admit(0)).toEqual({ kind: "limit", retryAfterMs: 1000 });
  });

  it("does not spend the connection's token when the user's bucket refuses", () => {
    const connection = new TokenBucket(1, 1, 0);
    const limiter = new FrameLimiter(connection, new TokenBucket(1, 0, 0));
    expect(limiter.admit(0).kind).toBe("limit");
    expect(connection.take(0)).toBe(0);
  });

  it("asks to close a connection that keeps sending while refused", () => {
    const limiter = new FrameLimiter(new TokenBucket(1, 1, 0), new TokenBucket(100, 100, 0), 3);
    expect(limiter.admit(0).kind).toBe("allow");
    expect(limiter.admit(0).kind).toBe("limit");
    expect(limiter.admit(0).kind).toBe("limit");
    expect(limiter.admit(0).kind).toBe("close");
  });

  it("forgives refusals once the client slows down", () => {
    const limiter = new FrameLimiter(new TokenBucket(1, 1, 0), new TokenBucket(100, 100, 0), 3);
    limiter.admit(0);
    limiter.admit(0);
    limiter.admit(0);
    expect(limiter.admit(2_000).kind).toBe("allow");
    expect(limiter.admit(2_000).kind).toBe("limit");
  });
});

describe("frameCost", () => {
  it("charges replays more than a plain frame", () => {
    expect(frameCost({ type: "fetch", roomId: "r", afterSeq: 0 })).toBe(FETCH_COST);
    expect(frameCost({ type: "subscribe", roomId: "r", afterSeq: 3 })).toBe(RESUME_COST);
    expect(frameCost({ type: "subscribe", roomId: "r", afterRev: 3 })).toBe(RESUME_COST);
    expect(frameCost({ type: "subscribe", roomId: "r" })).toBe(1);
    expect(frameCost({ type: "typing", roomId: "r" })).toBe(1);
    expect(FETCH_COST).toBeGreaterThan(1);
    expect(RESUME_COST).toBeGreaterThan(1);
  });

  it("a costly frame refused by the user's bucket gives the connection's tokens back", () => {
    const connection = new TokenBucket(1, 10, 0);
    const limiter = new FrameLimiter(connection, new TokenBucket(1, 3, 0));
    expect(limiter.admit(0, 5).kind).toBe("allow"); // capped at the user's burst of 3
    expect(limiter.admit(0, 5).kind).toBe("limit");
    expect(connection.take(0, 5)).toBe(0); // 10 - 5, refund of the refused 5
  });
});
