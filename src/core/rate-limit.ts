import type { ClientFrame } from "../protocol/frames";

/**
 * Tokens a frame costs. Replays read and send many messages from the
 * database for one small frame, so they cost more: a fetch FETCH_COST, a
 * subscribe that asks for a replay (afterSeq/afterRev) RESUME_COST; every
 * other frame 1.
 */
export const FETCH_COST = 5;
export const RESUME_COST = 2;
export function frameCost(frame: ClientFrame): number {
  if (frame.type === "fetch") return FETCH_COST;
  if (frame.type === "subscribe" && (frame.afterSeq !== undefined || frame.afterRev !== undefined))
    return RESUME_COST;
  return 1;
}

/**
 * A token bucket: `burst` tokens, refilled at `perSecond`. take() spends
 * `cost` tokens (one by default; never more than the burst, so every frame
 * can pass eventually) or says how long until they are free. The clock is passed in, so the
 * bucket is pure and testable.
 */
export class TokenBucket {
  #tokens: number;
  #at: number;

  constructor(
    readonly perSecond: number,
    readonly burst: number,
    now: number,
  ) {
    this.#tokens = burst;
    this.#at = now;
  }

  /** Spends `cost` tokens: 0 when allowed, else the milliseconds until they are free. */
  take(now: number, cost = 1): number {
    this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#at) / 1000) * this.perSecond);
    this.#at = now;
    const price = Math.min(cost, Math.max(1, this.burst));
    if (this.#tokens >= price) {
      this.#tokens -= price;
      return 0;
    }
    return Math.ceil(((price - this.#tokens) / this.perSecond) * 1000);
  }

  /** True when the bucket has refilled to its burst by `now` (it can be forgotten). */
  isFull(now: number): boolean {
    return this.#tokens + ((now - this.#at) / 1000) * this.perSecond >= this.burst;
  }

  /** Gives back tokens taken for a frame that was refused elsewhere. */
  refund(cost = 1): void {
    this.#tokens = Math.min(this.burst, this.#tokens + Math.min(cost, Math.max(1, this.burst)));
  }
}

export type RateDecision =
  | { kind: "allow" }
  | { kind: "limit"; retryAfterMs: number }
  /** Refused so often in a row that the connection should be closed (1008). */
  | { kind: "close" };

/**
 * Frame admission for one connection: its own bucket and its user's bucket
 * (shared by all of the user's connections) must both have a token. Many
 * refusals in a row mean a client that ignores `rate_limited`: close it.
 */
export class FrameLimiter {
  #refusedInARow = 0;

  constructor(
    readonly connection: TokenBucket,
    readonly user: TokenBucket,
    readonly closeAfterRefusals = 50,
  ) {}

  /** Admits one frame costing `cost` tokens (see frameCost). */
  admit(now: number, cost = 1): RateDecision {
    let wait = this.connection.take(now, cost);
    if (wait === 0) {
      wait = this.user.take(now, cost);
      if (wait > 0) this.connection.refund(cost);
    }
    if (wait === 0) {
      this.#refusedInARow = 0;
      return { kind: "allow" };
    }
    this.#refusedInARow++;
    if (this.#refusedInARow >= this.closeAfterRefusals) return { kind: "close" };
    return { kind: "limit", retryAfterMs: wait };
  }
}
