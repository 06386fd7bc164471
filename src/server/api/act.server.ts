import { type Effect, type FrameOrigin, handleFrame } from "../../core/handle-frame";
import { TokenBucket } from "../../core/rate-limit";
import type { ActionFrame, ServerFrame, WireUser } from "../../protocol/frames";
import type { Realtime } from "../ws/realtime.server";

/**
 * The one path for an actor with no socket (issue 15): a REST call, an
 * incoming webhook, a slash command's answer, an importer's live post.
 * The frame goes through the same core handler and policy as a socket's
 * (check, do, then the events after commit), its room and user events
 * reach every instance's sockets as a socket frame's do, and the answer a
 * socket would have got (ack, error, or one of the action's replies) is
 * handed back for the caller to translate (api/problem.server.ts maps an
 * error frame's code to an HTTP status).
 */
export type ActResult =
  | { ok: true; replies: ServerFrame[] }
  | { ok: false; error: Extract<ServerFrame, { type: "error" }> };

/** How an actor is rate limited: one bucket per key (a token id, a webhook id). */
export type ActLimits = { ratePerSecond: number; rateBurst: number };

/** How often full buckets are forgotten, so that keys seen once do not linger. */
const SWEEP_MS = 60_000;

/**
 * Token buckets for socketless actors, one per key, at the socket's
 * per-user rate (PARLEY_RATE_PER_SECOND, PARLEY_RATE_BURST): a token may
 * send as fast as a tab may.
 */
export function createActorLimits(limits: ActLimits, now: () => number = Date.now) {
  const buckets = new Map<string, TokenBucket>();
  let sweptAt = now();
  return {
    /** Spends `cost` from the key's bucket: 0 when allowed, else ms until it is. */
    take(key: string, cost = 1): number {
      const at = now();
      if (at - sweptAt > SWEEP_MS) {
        sweptAt = at;
        for (const [k, bucket] of buckets) if (bucket.isFull(at)) buckets.delete(k);
      }
      let bucket = buckets.get(key);
      if (!bucket) {
        bucket = new TokenBucket(limits.ratePerSecond, limits.rateBurst, at);
        buckets.set(key, bucket);
      }
      return bucket.take(at, cost);
    },
  };
}

export type ActorLimits = ReturnType<typeof createActorLimits>;

const limitsKey = Symbol.for("parley.actor-limits");
type Holder = { [limitsKey]?: ActorLimits };

/** The process's actor buckets (one per process, like the realtime side). */
export function actorLimitsOf(realtime: Realtime): ActorLimits {
  const holder = globalThis as Holder;
  holder[limitsKey] ??= createActorLimits(realtime.runtime.config.limits);
  return holder[limitsKey];
}

/**
 * Runs `frame` for `user`, spending from `limitKey`'s bucket first (a
 * refusal is the socket's `rate_limited` error, with retryAfterMs). The
 * first error reply is the answer when there is one; otherwise every
 * reply (an ack, a members page) is handed back in order. `origin` is
 * what the caller vouches for that no frame may carry (an incoming
 * webhook's `via`).
 */
export async function act(
  realtime: Realtime,
  user: WireUser,
  frame: ActionFrame,
  limitKey: string,
  origin?: FrameOrigin,
): Promise<ActResult> {
  const wait = actorLimitsOf(realtime).take(limitKey);
  if (wait > 0) {
    realtime.runtime.metrics.rateLimited.inc();
    return {
      ok: false,
      error: { type: "error", code: "rate_limited", message: "slow down", retryAfterMs: wait },
    };
  }
  const effects: Effect[] = await handleFrame(frame, user, realtime.frameDeps, origin);
  const replies = await realtime.runner.runDetached(effects);
  const error = replies.find(
    (r): r is Extract<ServerFrame, { type: "error" }> => r.type === "error",
  );
  return error ? { ok: false, error } : { ok: true, replies };
}
