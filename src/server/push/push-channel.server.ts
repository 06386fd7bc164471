import { createHash } from "node:crypto";
import { Agent } from "node:https";
import webpush from "web-push";
import type { PushPayload } from "../../protocol/push";
import type { Logger } from "../log.server";
import type { DeviceChannel, DeviceNotice } from "../notify/channels";
import type { PushSubscriptionStore, StoredSubscription } from "./subscription-store.server";
import type { Vapid } from "./vapid.server";

/** How long a push service keeps a push for a device that is offline (seconds). */
export const PUSH_TTL_SECONDS = 6 * 60 * 60;
/** Sends in flight at once, across all users. */
const CONCURRENCY = 16;
/** Sends waiting behind them at most; past it new ones are dropped and logged (a push service is down). */
const MAX_QUEUED = 10_000;
/** A push service that has not answered in this long has failed this send. */
const SEND_TIMEOUT_MS = 10_000;
/** Rooms (per user) whose pushed tags are remembered for closing, and tags per room. */
const MAX_TRACKED_ROOMS = 10_000;
const MAX_TAGS_PER_ROOM = 50;
/**
 * Text kept in a push: the encrypted record holds about 4 KB, and a
 * notification shows a few lines anyway (code points, so never half a pair).
 */
const MAX_BODY_CHARS = 1_000;
const MAX_TITLE_CHARS = 200;

type Deps = {
  store: PushSubscriptionStore;
  vapid: Vapid;
  log: Logger;
  concurrency?: number;
  maxQueued?: number;
};

const clip = (text: string, max: number) => {
  const points = Array.from(text);
  return points.length > max ? `${points.slice(0, max - 1).join("")}…` : text;
};

/**
 * The Web Push topic of a message's notification (RFC 8030: at most 32
 * base64url characters): a push service replaces a push still waiting for
 * an offline device with a later one of the same topic, so a `close` for a
 * single message read in time replaces its `show` and the device never
 * shows it.
 */
export function pushTopic(tag: string): string {
  return createHash("sha256").update(tag).digest("base64url").slice(0, 32);
}

/**
 * Web Push as a device channel (issue 13). `deliver` reads the people's
 * subscriptions and queues one encrypted push per device; the sends run
 * behind it, a few at a time, so a slow push service never holds up the
 * notifier (and the page channel) behind it. A 404 or 410 means the
 * browser dropped the subscription: its row goes. Any other failure is
 * logged and forgotten.
 *
 * `read` closes what this instance pushed: it remembers, per user and
 * room, the tags it pushed and not yet closed (bounded, in memory), so the
 * read that follows every send of the author costs a map look-up.
 */
export function createPushChannel({
  store,
  vapid,
  log,
  concurrency = CONCURRENCY,
  maxQueued = MAX_QUEUED,
}: Deps): DeviceChannel & { idle(): Promise<void> } {
  // Connections to a push service are kept open between pushes.
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const vapidDetails = {
    subject: vapid.subject,
    publicKey: vapid.publicKey,
    privateKey: vapid.privateKey,
  };

  /** `user\nroom` → tag → seq, oldest room first (a Map keeps insertion order). */
  const pushed = new Map<string, Map<string, number>>();
  const remember = (notice: DeviceNotice) => {
    const key = `${notice.userId}\n${notice.roomId}`;
    const tags = pushed.get(key) ?? new Map<string, number>();
    pushed.delete(key);
    pushed.set(key, tags);
    tags.set(notice.tag, notice.seq);
    if (tags.size > MAX_TAGS_PER_ROOM) tags.delete(tags.keys().next().value as string);
    if (pushed.size > MAX_TRACKED_ROOMS) pushed.delete(pushed.keys().next().value as string);
  };

  let active = 0;
  const waiting: (() => Promise<void>)[] = [];
  let settled: (() => void)[] = [];
  const pump = () => {
    while (active < concurrency && waiting.length > 0) {
      const task = waiting.shift() as () => Promise<void>;
      active++;
      void task().finally(() => {
        active--;
        pump();
      });
    }
    if (active === 0 && waiting.length === 0) {
      for (const resolve of settled) resolve();
      settled = [];
    }
  };
  /** Starts or queues the task; false when the queue is full and it was dropped. */
  const enqueue = (task: () => Promise<void>): boolean => {
    if (waiting.length >= maxQueued) {
      log.warn("push queue full: push dropped", { queued: waiting.length });
      return false;
    }
    waiting.push(task);
    pump();
    return true;
  };

  /** One push to one device; true when the push service took it. */
  const send = async (
    subscription: StoredSubscription,
    payload: PushPayload,
    options: { urgency: "high" | "normal"; topic?: string },
  ): Promise<boolean> => {
    try {
      await webpush.sendNotification(
        { endpoint: subscription.endpoint, keys: subscription.keys },
        JSON.stringify(payload),
        {
          TTL: PUSH_TTL_SECONDS,
          urgency: options.urgency,
          ...(options.topic && { topic: options.topic }),
          vapidDetails,
          agent,
          timeout: SEND_TIMEOUT_MS,
        },
      );
      return true;
    } catch (error) {
      const status = (error as { statusCode?: unknown }).statusCode;
      const host = hostOf(subscription.endpoint);
      if (status === 404 || status === 410) {
        await store
          .drop(subscription.id)
          .then(() => log.info("push subscription gone: removed", { host, status }))
          .catch((dropError: unknown) =>
            log.warn("push subscription removal failed", { host, error: String(dropError) }),
          );
      } else {
        log.warn("push failed", {
          host,
          ...(typeof status === "number" ? { status } : { error: String(error) }),
        });
      }
      return false;
    }
  };

  /** The people's subscriptions; undefined (logged) when the database failed. */
  const devicesOf = (userIds: readonly string[]) =>
    store.forUsers(userIds).catch((error: unknown) => {
      log.warn("push subscriptions unreadable: nothing pushed", { error: String(error) });
      return undefined;
    });

  /** Queues the sends and, once they are all done, stamps the ones that worked. */
  const queueSends = (
    sends: {
      subscription: StoredSubscription;
      payload: PushPayload;
      urgency: "high" | "normal";
      topic?: string;
    }[],
  ) => {
    const ok: string[] = [];
    let left = sends.length;
    // One stamp per batch, when its last send is done (or dropped).
    const done = async () => {
      left--;
      if (left > 0 || ok.length === 0) return;
      await store
        .markOk(ok)
        .catch((error: unknown) => log.warn("push stamp failed", { error: String(error) }));
    };
    for (const { subscription, payload, ...options } of sends) {
      const queued = enqueue(async () => {
        if (await send(subscription, payload, options)) ok.push(subscription.id);
        await done();
      });
      if (!queued) void done();
    }
  };

  return {
    async deliver(notices) {
      const subscriptions = await devicesOf(notices.map((notice) => notice.userId));
      if (!subscriptions) return;
      const sends = [];
      for (const notice of notices) {
        const devices = subscriptions.get(notice.userId);
        if (!devices) continue;
        // Remembered when queued: a read that comes before the send is done still closes it.
        remember(notice);
        const payload: PushPayload = {
          type: "show",
          tag: notice.tag,
          title: clip(notice.title, MAX_TITLE_CHARS),
          ...(notice.body !== undefined && { body: clip(notice.body, MAX_BODY_CHARS) }),
          url: notice.url,
          roomId: notice.roomId,
          seq: notice.seq,
        };
        for (const subscription of devices) {
          sends.push({
            subscription,
            payload,
            urgency: "high" as const,
            topic: pushTopic(notice.tag),
          });
        }
      }
      queueSends(sends);
    },

    async read(userId, roomId, seq) {
      const key = `${userId}\n${roomId}`;
      const tags = pushed.get(key);
      if (!tags) return;
      const closing: string[] = [];
      for (const [tag, tagSeq] of tags) {
        if (tagSeq <= seq) closing.push(tag);
      }
      if (closing.length === 0) return;
      for (const tag of closing) tags.delete(tag);
      if (tags.size === 0) pushed.delete(key);
      const found = await devicesOf([userId]);
      if (!found) return;
      const devices = found.get(userId) ?? [];
      const payload: PushPayload = { type: "close", tags: closing };
      // One message: the same topic as its show, which it replaces if still undelivered.
      const topic = closing.length === 1 ? pushTopic(closing[0] as string) : undefined;
      queueSends(
        devices.map((subscription) => ({
          subscription,
          payload,
          urgency: "normal" as const,
          ...(topic && { topic }),
        })),
      );
    },

    /** Resolves when no send is running or waiting (tests, shutdown). */
    idle() {
      if (active === 0 && waiting.length === 0) return Promise.resolve();
      return new Promise<void>((resolve) => settled.push(resolve));
    },
  };
}

/** The push service's host, for logs: the endpoint's path names the device. */
function hostOf(endpoint: string): string {
  try {
    return new URL(endpoint).host;
  } catch {
    return "?";
  }
}
