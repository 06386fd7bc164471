import type { Kysely } from "kysely";
import { nextAttempt, replyText } from "../../core/outgoing-webhooks";
import type { Logger } from "../log.server";
import type { Database } from "../storage/schema.server";
import { guardedPost, type PostOptions, type PostOutcome } from "./guarded-post.server";
import { signedHeaders } from "./signature.server";

/**
 * Sends the pending webhook_delivery rows (issue 15). Each due row is
 * CLAIMED first (one UPDATE setting claimed_until, only while unclaimed or
 * the claim lapsed), so with several instances exactly one sends it at a
 * time; a process that dies mid-send leaves a claim that lapses, and the
 * row is sent again (at least once: a receiver dedupes by the event's id).
 * A 2xx answer marks it done; anything else (another status, a refused
 * address, a timeout) counts an attempt and schedules the next with
 * exponential backoff (core nextAttempt) until 24 hours after the event,
 * then marks it failed. The rows are the queue, so a restart loses none.
 *
 * An answer `{"text": ...}` is posted back in the event's room (in its
 * thread, when the event's message was in one) as the webhook's bot.
 */
export type PostBack = (
  hook: { id: string; botUserId: string | null; name: string },
  roomId: string,
  text: string,
  threadRootId: string | undefined,
) => Promise<string | undefined>;

export type WorkerDeps = {
  db: Kysely<Database>;
  log: Logger;
  retryBaseMs: number;
  post: Omit<PostOptions, "resolve"> & Pick<PostOptions, "resolve">;
  postBack: PostBack;
  now?: () => number;
};

/** Rows claimed per scan; the rest come on the next. */
const BATCH = 20;

export function createDeliveryWorker(deps: WorkerDeps) {
  const { db, log, retryBaseMs, postBack } = deps;
  const now = deps.now ?? Date.now;
  // A claim outlives the POST's deadline, so no two senders overlap.
  const claimMs = deps.post.timeoutMs + 5_000;
  // Often enough that a retry is not much later than its backoff.
  const pollMs = Math.max(50, Math.min(1_000, Math.floor(retryBaseMs / 2)));
  let poll: ReturnType<typeof setInterval> | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  // Set by stop(): a pass under way ends after its batch. A worker never
  // started still runs the passes asked of it (tick, in tests).
  let stopped = false;

  async function claim(id: string, at: number): Promise<boolean> {
    const result = await db
      .updateTable("webhook_delivery")
      .set({ claimed_until: at + claimMs })
      .where("id", "=", id)
      .where("status", "=", "pending")
      .where((eb) => eb.or([eb("claimed_until", "is", null), eb("claimed_until", "<", at)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows ?? 0n) === 1;
  }

  type Due = {
    id: string;
    webhook_id: string;
    room_id: string | null;
    payload: string;
    attempts: number;
    created_at: number;
    event: string;
    target_url: string;
    secret: string;
    revoked_at: number | null;
    bot_user_id?: string | null;
    name: string;
  };

  async function settle(row: Due, outcome: PostOutcome) {
    const at = now();
    const attempts = Number(row.attempts) + 1;
    if (outcome.ok && outcome.status >= 200 && outcome.status < 300) {
      await db
        .updateTable("webhook_delivery")
        .set({
          status: "done",
          attempts,
          last_status: outcome.status,
          last_error: null,
          done_at: at,
          claimed_until: null,
        })
        .where("id", "=", row.id)
        .execute();
      const text = replyText(outcome.body);
      if (text && row.room_id) {
        const threadRootId = threadOf(row.payload);
        const refused = await postBack(
          { id: row.webhook_id, botUserId: row.bot_user_id ?? null, name: row.name },
          row.room_id,
          text,
          threadRootId,
        ).catch((error: unknown) => String(error));
        if (refused) {
          await db
            .updateTable("webhook_delivery")
            .set({ last_error: `reply not posted: ${refused}` })
            .where("id", "=", row.id)
            .execute();
        }
      }
      return;
    }
    const error = outcome.ok ? `HTTP ${outcome.status}` : outcome.reason;
    const next = nextAttempt(Number(row.created_at), attempts, at, retryBaseMs);
    await db
      .updateTable("webhook_delivery")
      .set({
        status: next === "give_up" ? "failed" : "pending",
        attempts,
        last_status: outcome.ok ? outcome.status : null,
        last_error: error.slice(0, 500),
        next_attempt_at: next === "give_up" ? at : next,
        done_at: next === "give_up" ? at : null,
        claimed_until: null,
      })
      .where("id", "=", row.id)
      .execute();
    if (next === "give_up") log.warn("webhook delivery given up", { id: row.id, error });
  }

  async function deliver(row: Due) {
    if (row.revoked_at !== null) {
      await db
        .updateTable("webhook_delivery")
        .set({ status: "failed", last_error: "webhook revoked", claimed_until: null })
        .where("id", "=", row.id)
        .execute();
      return;
    }
    const headers = {
      ...signedHeaders(row.secret, row.payload, now()),
      "x-parley-event": row.event,
      "x-parley-delivery": row.id,
    };
    const outcome = await guardedPost(row.target_url, row.payload, headers, deps.post);
    await settle(row, outcome);
  }

  async function scan() {
    const at = now();
    const due = await db
      .selectFrom("webhook_delivery as d")
      .innerJoin("outgoing_webhook as w", "w.id", "d.webhook_id")
      .select([
        "d.id",
        "d.webhook_id",
        "d.room_id",
        "d.payload",
        "d.attempts",
        "d.created_at",
        "d.event",
        "w.target_url",
        "w.secret",
        "w.revoked_at",
        "w.bot_user_id",
        "w.name",
      ])
      .where("d.status", "=", "pending")
      .where("d.next_attempt_at", "<=", at)
      .where((eb) => eb.or([eb("d.claimed_until", "is", null), eb("d.claimed_until", "<", at)]))
      .orderBy("d.next_attempt_at")
      .limit(BATCH)
      .execute();
    const mine: Due[] = [];
    for (const row of due) if (await claim(row.id, at)) mine.push(row);
    await Promise.all(
      mine.map((row) =>
        deliver(row).catch((error: unknown) =>
          log.error("webhook delivery failed", { id: row.id, error: String(error) }),
        ),
      ),
    );
    return due.length === BATCH;
  }

  /** One pass (and more while a full batch came back or a wake came in meanwhile). */
  function tick(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        let more = true;
        while (more && !stopped) {
          again = false;
          more = (await scan()) || again;
        }
      } catch (error) {
        log.error("webhook scan failed", { error: String(error) });
      } finally {
        running = undefined;
      }
    })();
    return running;
  }

  return {
    start() {
      if (poll) return;
      stopped = false;
      poll = setInterval(() => void tick(), pollMs);
      poll.unref?.();
      void tick();
    },
    /** New rows were queued: send now rather than at the next poll. */
    wake() {
      if (poll) void tick();
    },
    /** One pass now (tests with a fake clock). */
    tick,
    async stop() {
      stopped = true;
      if (poll) clearInterval(poll);
      poll = undefined;
      await running;
    },
  };
}

/** The thread of the event's message, if it was a reply in one. */
function threadOf(payload: string): string | undefined {
  try {
    const parsed = JSON.parse(payload) as { message?: { threadRootId?: unknown } };
    const root = parsed.message?.threadRootId;
    return typeof root === "string" ? root : undefined;
  } catch {
    return undefined;
  }
}

export type DeliveryWorker = ReturnType<typeof createDeliveryWorker>;
