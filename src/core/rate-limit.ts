/**
 * A token bucket: `burst` tokens, refilled at `perSecond`. take() spends one
 * token or says how long until one is free. The clock is passed in, so the
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

  /** Spends a token: 0 when allowed, else the milliseconds until one is free. */
  take(now: number): number {
    this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#at) / 1000) * this.perSecond);
    this.#at = now;
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.#tokens) / this.perSecond) * 1000);
  }

  /** True when the bucket has refilled to its burst by `now` (it can be forgotten). */
  isFull(now: number): boolean {
    return this.#tokens + ((now - this.#at) / 1000) * this.perSecond >= this.burst;
  }

  /** Gives back a token taken for a frame that was refused elsewhere. */
  refund(): void {
    this.#tokens = Math.min(this.burst, this.#tokens + 1);
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

  admit(now: number): RateDecision {
    let wait = this.connection.take(now);
    if (wait === 0) {
      wait = this.user.take(now);
      if (wait > 0) this.connection.refund();
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
