/**
 * "Put focus in the composer of the room you arrive in", asked for by the
 * sign-in and sign-up forms just before they navigate away. Kept for a
 * short while only: a target that is not a room (say /threads) must not
 * make a later, unrelated room visit steal focus.
 */
const ASK_LIVES_MS = 15_000;

let askedAt: number | null = null;

export function focusComposerOnArrival(now = Date.now()): void {
  askedAt = now;
}

/** True once per ask, while it is fresh. */
export function takeComposerFocus(now = Date.now()): boolean {
  const fresh = askedAt !== null && now - askedAt <= ASK_LIVES_MS;
  askedAt = null;
  return fresh;
}

/**
 * Whether a fresh ask is waiting, without taking it: a linked message (a
 * search hit) leaves focus to the composer when the person just signed in.
 */
export function composerFocusPending(now = Date.now()): boolean {
  return askedAt !== null && now - askedAt <= ASK_LIVES_MS;
}
