import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { NotifyEffect } from "../../core/actions/shared";
import { messageEvents, type WebhookEvent } from "../../core/outgoing-webhooks";
import type { WireMessage } from "../../protocol/frames";
import type { Logger } from "../log.server";
import type { Database } from "../storage/schema.server";
import type { ActiveWebhook, OutgoingStore } from "./outgoing-store.server";

/**
 * Turns stored messages and joins into webhook_delivery rows (issue 15).
 * The effect runner hands it every `notify` effect of a stored message and
 * every join, after commit, as it does the notifier; this never blocks the
 * frame's answer (the insert is not awaited by the runner).
 *
 * Hot path: the live webhooks are kept in memory (reloaded on a change
 * made here, and every REFRESH_MS for changes made on another instance),
 * so a message in a room without webhooks costs no query at all.
 * Messages posted by any outgoing webhook's bot start no deliveries: two
 * webhooks answering each other would loop forever.
 */
export const REFRESH_MS = 5_000;

type SinkDeps = {
  db: Kysely<Database>;
  store: OutgoingStore;
  log: Logger;
  /** Told after rows were inserted, so the worker sends at once. */
  queued: () => void;
  now?: () => number;
};

export function createWebhookSink({ db, store, log, queued, now = Date.now }: SinkDeps) {
  let hooks: ActiveWebhook[] = [];
  let bots = new Set<string>();
  let timer: ReturnType<typeof setInterval> | undefined;
  let loading: Promise<void> | undefined;

  const reload = (): Promise<void> => {
    loading = store
      .active()
      .then((found) => {
        hooks = found;
        bots = new Set(found.flatMap((hook) => (hook.botUserId ? [hook.botUserId] : [])));
      })
      .catch((error: unknown) => log.warn("webhook list failed", { error: String(error) }));
    return loading;
  };

  /** The webhooks that want `event` from `roomId`: the room's own and the server-wide ones. */
  const matching = (roomId: string, event: WebhookEvent) =>
    hooks.filter(
      (hook) => (hook.roomId === roomId || hook.roomId === null) && hook.events.includes(event),
    );

  async function enqueue(
    roomId: string,
    wanted: { event: WebhookEvent; hooks: ActiveWebhook[]; body: Record<string, unknown> }[],
  ) {
    const room = await db
      .selectFrom("room")
      .select(["id", "slug", "name", "kind"])
      .where("id", "=", roomId)
      .executeTakeFirst();
    if (!room) return;
    const at = now();
    const rows = wanted.flatMap(({ event, hooks: targets, body }) =>
      // A server-wide webhook hears no direct messages: only the two people
      // in one may send its words elsewhere, and they cannot add webhooks.
      targets
        .filter((hook) => hook.roomId !== null || room.kind !== "dm")
        .map((hook) => {
          const id = randomUUID();
          const payload = {
            id,
            event,
            createdAt: new Date(at).toISOString(),
            webhook: { id: hook.id, name: hook.name },
            room: { id: room.id, slug: room.slug, name: room.name },
            ...body,
          };
          return {
            id,
            webhook_id: hook.id,
            room_id: roomId,
            event,
            payload: JSON.stringify(payload),
            next_attempt_at: at,
            created_at: at,
            last_status: null,
            last_error: null,
            done_at: null,
            claimed_until: null,
          };
        }),
    );
    if (rows.length === 0) return;
    await db.insertInto("webhook_delivery").values(rows).execute();
    queued();
  }

  const run = (work: Promise<void>) =>
    work.catch((error: unknown) => log.error("webhook enqueue failed", { error: String(error) }));

  return {
    async start() {
      await reload();
      timer = setInterval(() => void reload(), REFRESH_MS);
      timer.unref?.();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
    /** Reloads the live list (after a create or revoke); resolves once loaded. */
    changed: reload,
    /** Waits for a reload under way (tests). */
    ready: () => loading ?? Promise.resolve(),

    /** A notify effect: a stored message becomes message_created (and mention) deliveries. */
    take(effect: NotifyEffect) {
      if (effect.op !== "stored" || hooks.length === 0) return;
      const { roomId, message, mentions } = effect;
      if (bots.has(message.author.id)) return;
      const wanted = messageEvents(mentions)
        .map((event) => ({
          event,
          hooks: matching(roomId, event),
          body: messageBody(message, event === "mention" ? mentions : undefined),
        }))
        .filter((entry) => entry.hooks.length > 0);
      if (wanted.length > 0) void run(enqueue(roomId, wanted));
    },

    /** Someone joined a room: member_joined deliveries. */
    joined(roomId: string, userId: string) {
      if (hooks.length === 0 || bots.has(userId)) return;
      const targets = matching(roomId, "member_joined");
      if (targets.length === 0) return;
      void run(
        (async () => {
          const user = await db
            .selectFrom("user")
            .select(["id", "name", "handle"])
            .where("id", "=", userId)
            .executeTakeFirst();
          if (!user) return;
          const body = {
            user: { id: user.id, name: user.name, ...(user.handle && { handle: user.handle }) },
          };
          await enqueue(roomId, [{ event: "member_joined", hooks: targets, body }]);
        })(),
      );
    },
  };
}

/** The message as an event carries it (its files and reactions are left out). */
function messageBody(message: WireMessage, mentions: readonly string[] | undefined) {
  return {
    message: {
      id: message.id,
      seq: message.seq,
      author: message.author,
      text: message.text,
      createdAt: message.createdAt,
      ...(message.threadRootId && { threadRootId: message.threadRootId }),
    },
    ...(mentions && { mentions }),
  };
}

export type WebhookSink = ReturnType<typeof createWebhookSink>;
