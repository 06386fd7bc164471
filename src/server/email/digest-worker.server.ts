import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { WireMessage } from "../../protocol/frames";
import type { Logger } from "../log.server";
import type { Mailer } from "../mail/mailer.server";
import { noticeUrl } from "../notify/notifier.server";
import type { Database } from "../storage/schema.server";
import { type DigestItem, renderDigest } from "./digest-render";
import { unsubscribeToken } from "./unsubscribe-token.server";

/**
 * Sends the missed-message emails (issue 13) from the pending rows.
 *
 * Per user with something due: CLAIM the user (one atomic UPDATE of their
 * email_state row: owner = this instance, expiry), so with several instances
 * exactly one works on a user at a time. Then:
 * - rows already read (room or thread marker at or past the seq), deleted
 *   or left behind (no longer a member) are dropped;
 * - with email off (notify_settings.email = 0) or no address, all are dropped;
 * - "active since": rows queued before the user's last read frame
 *   (email_state.last_active_at, email/activity.server.ts) are dropped:
 *   they were in the app after those messages came. Whether each message
 *   itself was read is checked by the markers above.
 * - at most one email per user per delay window (last_sent_at): otherwise the
 *   claim is held until the window ends and the rows wait;
 * - one email lists every unread due row, and the rows falling due within
 *   the next poll (GRACE): a DM and a mention sent together are queued
 *   milliseconds apart and should share an email, not wait a window apart.
 *
 * Delivery is AT MOST ONCE across a crash: the rows are marked with a batch
 * id before SMTP, and deleted with last_sent_at set in one transaction after
 * the server accepted. An SMTP refusal or error unmarks them (retried later,
 * not lost). A crash between marking and settling leaves marked rows; the
 * next claimer cannot know whether the server got the mail, and settles
 * them as sent (logged): the window is one SMTP round trip, and the issue
 * asks for "none twice" over a duplicate. Rows never marked are never lost.
 */
export type DigestWorkerDeps = {
  db: Kysely<Database>;
  mailer: Mailer;
  log: Logger;
  delayMs: number;
  /** Absolute base of links (PARLEY_PUBLIC_URL, else this server's address). */
  baseUrl: string;
  /** The auth secret: signs the unsubscribe tokens. */
  secret: string;
  now?: () => number;
};

/** A claim outlives the mailer's bounded waits (three of 15 s), so no two senders overlap. */
const CLAIM_MS = 120_000;
/** Users per scan; the rest come on the next. */
const SCAN_USERS = 50;

export function createDigestWorker(deps: DigestWorkerDeps) {
  const { db, mailer, log, delayMs } = deps;
  const now = deps.now ?? Date.now;
  const instance = randomUUID();
  // Often enough that an email is at most this late after falling due.
  const pollMs = Math.max(200, Math.min(2_000, delayMs / 2));
  const graceMs = pollMs;
  // After a refused send: wait a window (at least a second, at most a minute).
  const retryMs = Math.max(1_000, Math.min(60_000, delayMs));
  let poll: ReturnType<typeof setInterval> | undefined;
  let wake: ReturnType<typeof setTimeout> | undefined;
  let wakeAt = Number.POSITIVE_INFINITY;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = true;

  const changed = (result: { numUpdatedRows?: bigint; numDeletedRows?: bigint }) =>
    Number(result.numUpdatedRows ?? result.numDeletedRows ?? 0n);

  /** Takes the user for this instance; false when another holds them (or a hold is on). */
  async function claim(userId: string, at: number): Promise<boolean> {
    const result = await db
      .updateTable("email_state")
      .set({ claim_owner: instance, claim_until: at + CLAIM_MS })
      .where("user_id", "=", userId)
      .where((eb) => eb.or([eb("claim_owner", "is", null), eb("claim_until", "<", at)]))
      .executeTakeFirst();
    return changed(result) === 1;
  }

  /** Lets go; with `holdUntil`, nobody (this instance included) takes the user before then. */
  async function release(userId: string, holdUntil?: number) {
    await db
      .updateTable("email_state")
      .set(
        holdUntil === undefined
          ? { claim_owner: null, claim_until: null }
          : { claim_owner: instance, claim_until: holdUntil },
      )
      .where("user_id", "=", userId)
      .where("claim_owner", "=", instance)
      .execute();
  }

  async function dropRows(userId: string, messageIds: readonly string[]) {
    if (messageIds.length === 0) return;
    await db
      .deleteFrom("email_pending")
      .where("user_id", "=", userId)
      .where("message_id", "in", messageIds)
      .execute();
  }

  /** The user's due rows with what the email shows, and the ids no longer worth sending. */
  async function dueItems(userId: string, at: number, activeAt: number | null) {
    const until = at + graceMs;
    const rows = await db
      .selectFrom("email_pending as p")
      .leftJoin("message as m", "m.id", "p.message_id")
      .leftJoin("room as r", "r.id", "p.room_id")
      .leftJoin("room_member as rm", (join) =>
        join.onRef("rm.room_id", "=", "p.room_id").onRef("rm.user_id", "=", "p.user_id"),
      )
      .leftJoin("thread_follow as tf", (join) =>
        join
          .onRef("tf.room_id", "=", "p.room_id")
          .onRef("tf.root_id", "=", "m.thread_root_id")
          .onRef("tf.user_id", "=", "p.user_id"),
      )
      .leftJoin("user as a", "a.id", "m.author_id")
      .select([
        "p.message_id",
        "p.seq",
        "p.due_at",
        "p.created_at",
        "m.text",
        "m.deleted_at",
        "m.thread_root_id",
        "m.also_in_room",
        "r.slug",
        "r.name as room_name",
        "r.kind",
        "rm.last_read_seq",
        "tf.last_read_seq as thread_read_seq",
        "a.name as author",
      ])
      .where("p.user_id", "=", userId)
      .where("p.due_at", "<=", until)
      .where("p.batch", "is", null)
      .orderBy("p.due_at")
      .orderBy("p.seq")
      .execute();
    const stale: string[] = [];
    const items: (DigestItem & { messageId: string; dueAt: number })[] = [];
    for (const row of rows) {
      const threadOnly = row.thread_root_id !== null && row.also_in_room !== 1;
      const read =
        row.last_read_seq === null ||
        row.last_read_seq >= row.seq ||
        (threadOnly && row.thread_read_seq !== null && row.thread_read_seq >= row.seq);
      const seenSince = activeAt !== null && activeAt > row.created_at;
      if (row.text === null || row.deleted_at !== null || row.slug === null || read || seenSince) {
        stale.push(row.message_id);
        continue;
      }
      // noticeUrl reads only the seq and thread fields of the message.
      const linkOf = {
        seq: row.seq,
        ...(row.thread_root_id !== null && { threadRootId: row.thread_root_id }),
        ...(row.also_in_room === 1 && { alsoInRoom: true }),
      } as WireMessage;
      items.push({
        messageId: row.message_id,
        dueAt: row.due_at,
        roomName: row.room_name ?? row.slug,
        dm: row.kind === "dm",
        author: row.author ?? "someone",
        text: row.text,
        url: `${deps.baseUrl}${noticeUrl(row.slug, linkOf)}`,
      });
    }
    return { items, stale };
  }

  /** One user, claimed: drop what is stale, then send one email or wait. */
  async function work(userId: string, at: number) {
    // Rows left marked by a sender that died mid-send: settled as sent (see above).
    const interrupted = await db
      .deleteFrom("email_pending")
      .where("user_id", "=", userId)
      .where("batch", "is not", null)
      .executeTakeFirst();
    if (changed(interrupted) > 0) {
      log.warn("missed-message email: settled an interrupted send as sent", {
        userId,
        rows: changed(interrupted),
      });
    }
    const person = await db
      .selectFrom("user as u")
      .leftJoin("notify_settings as s", "s.user_id", "u.id")
      .leftJoin("email_state as e", "e.user_id", "u.id")
      .select(["u.email", "s.email as wants", "e.last_sent_at", "e.last_active_at"])
      .where("u.id", "=", userId)
      .executeTakeFirst();
    if (!person?.email || person.wants === 0) {
      await db.deleteFrom("email_pending").where("user_id", "=", userId).execute();
      return release(userId);
    }
    const { items, stale } = await dueItems(userId, at, person.last_active_at);
    await dropRows(userId, stale);
    if (items.length === 0) return release(userId);
    if (person.last_sent_at !== null && at < person.last_sent_at + delayMs) {
      return release(userId, person.last_sent_at + delayMs);
    }
    const batch = randomUUID();
    await db
      .updateTable("email_pending")
      .set({ batch })
      .where("user_id", "=", userId)
      .where(
        "message_id",
        "in",
        items.map((item) => item.messageId),
      )
      .where("batch", "is", null)
      .execute();
    const unsubscribe = `${deps.baseUrl}/api/email/unsubscribe?token=${unsubscribeToken(deps.secret, userId)}`;
    const rendered = renderDigest(items, unsubscribe);
    try {
      await mailer.send({
        to: person.email,
        ...rendered,
        headers: {
          "List-Unsubscribe": `<${unsubscribe}>`,
          "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
      });
    } catch {
      // The mailer logged why. Unmark: the rows wait for the retry.
      await db
        .updateTable("email_pending")
        .set({ batch: null })
        .where("batch", "=", batch)
        .execute();
      return release(userId, now() + retryMs);
    }
    const sentAt = now();
    await db.transaction().execute(async (tx) => {
      await tx.deleteFrom("email_pending").where("batch", "=", batch).execute();
      const kept = await tx
        .updateTable("email_state")
        .set({ last_sent_at: sentAt, claim_owner: null, claim_until: null })
        .where("user_id", "=", userId)
        .where("claim_owner", "=", instance)
        .executeTakeFirst();
      // Lost the claim (it expired mid-send): still sent; the window starts anyway.
      if (changed(kept) === 0) {
        await tx
          .updateTable("email_state")
          .set({ last_sent_at: sentAt })
          .where("user_id", "=", userId)
          .execute();
      }
    });
    log.info("missed-message email sent", { userId, messages: items.length });
  }

  async function scan() {
    const at = now();
    // Users held (window, retry) or claimed elsewhere are left out here, so
    // a page of held users cannot starve the others.
    const users = await db
      .selectFrom("email_pending as p")
      .leftJoin("email_state as e", "e.user_id", "p.user_id")
      .select("p.user_id")
      .distinct()
      .where("p.due_at", "<=", at)
      .where((eb) => eb.or([eb("e.claim_owner", "is", null), eb("e.claim_until", "<", at)]))
      .limit(SCAN_USERS)
      .execute();
    for (const { user_id: userId } of users) {
      if (stopped) return;
      try {
        if (await claim(userId, at)) {
          try {
            await work(userId, at);
          } catch (error) {
            await release(userId, now() + retryMs).catch(() => undefined);
            throw error;
          }
        }
      } catch (error) {
        log.warn("missed-message email failed", { userId, error: String(error) });
      }
    }
    // The timer for the next row to fall due (sooner than the poll).
    const next = await db
      .selectFrom("email_pending")
      .select((eb) => eb.fn.min("due_at").as("due"))
      .where("due_at", ">", at)
      .executeTakeFirst();
    if (next?.due != null) wakeBy(Number(next.due));
  }

  /** One scan at a time; a call during a scan runs another right after. */
  function run(): Promise<void> {
    if (stopped) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = scan()
      .catch((error) => log.warn("missed-message email scan failed", { error: String(error) }))
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          void run();
        }
      });
    return running;
  }

  function wakeBy(at: number) {
    if (stopped || at >= wakeAt) return;
    if (wake) clearTimeout(wake);
    wakeAt = at;
    wake = setTimeout(
      () => {
        wake = undefined;
        wakeAt = Number.POSITIVE_INFINITY;
        void run();
      },
      Math.max(0, at - now()),
    );
    wake.unref?.();
  }

  return {
    instance,
    start() {
      if (!stopped) return;
      stopped = false;
      poll = setInterval(() => void run(), pollMs);
      poll.unref?.();
      void run();
    },
    /** A row was queued, due at `dueAt`: scan then. */
    queued(dueAt: number) {
      wakeBy(dueAt);
    },
    /** Runs one scan now (tests). */
    runOnce: run,
    async stop() {
      stopped = true;
      if (poll) clearInterval(poll);
      if (wake) clearTimeout(wake);
      await running;
      mailer.close();
    },
  };
}

export type DigestWorker = ReturnType<typeof createDigestWorker>;
