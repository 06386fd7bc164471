import { messageLinkSearch } from "../../client/message-link";
import { isThreadOnly } from "../../client/thread-unread";
import type { NotifyEffect } from "../../core/actions/shared";
import { decideNotify } from "../../core/notify";
import type { Room, Storage } from "../../ports";
import type { WireMessage } from "../../protocol/frames";
import { notifyTag } from "../../protocol/push";
import type { Logger } from "../log.server";
import type { DeviceChannel, DeviceNotice, EmailChannel, EmailNotice } from "./channels";

type Deps = {
  storage: Pick<Storage, "notify" | "rooms">;
  /** Where a person is told now: hidden tabs, Web Push. */
  devices: readonly DeviceChannel[];
  /** Missed-message email; absent without SMTP. */
  email?: EmailChannel;
  /** Which of these users have a visible tab on some instance. */
  visibleAmong: (userIds: readonly string[]) => Promise<Set<string>>;
  log?: Logger;
};

/** The title of a message's notification: who wrote, and where (a DM: who only). */
export function noticeTitle(room: Pick<Room, "kind" | "name">, author: string): string {
  return room.kind === "dm" ? author : `${author} in #${room.name}`;
}

/** The path a click on the notification opens: the message in its room (or its thread). */
export function noticeUrl(slug: string, message: WireMessage): string {
  const search = messageLinkSearch(message);
  const query = "m" in search ? `m=${search.m}` : `t=${encodeURIComponent(search.t)}&r=${search.r}`;
  return `/r/${encodeURIComponent(slug)}?${query}`;
}

/**
 * Takes the `notify` effects after commit and works them off the hot path,
 * one after another (a send's ack never waits on it): for a stored message,
 * the audience from the store, the decision per member, then the channels;
 * for a read, the device channels withdraw what they showed.
 */
export function createNotifier({ storage, devices, email, visibleAmong, log }: Deps) {
  let queue: Promise<void> = Promise.resolve();

  const stored = async (effect: Extract<NotifyEffect, { op: "stored" }>) => {
    const { roomId, message, mentions } = effect;
    const audience = await storage.notify.audience(roomId, message.author.id, mentions);
    if (audience.length === 0) return;
    const room = await storage.rooms.getRoom(roomId);
    if (!room) return;
    const visible = await visibleAmong(audience.map((member) => member.userId));
    const mentioned = new Set(mentions);
    // A reply kept in its thread is not a room message: "all" hears of it only when mentioned.
    const threadOnly = isThreadOnly(message);
    const title = noticeTitle(room, message.author.name);
    const url = noticeUrl(room.slug, message);
    const tag = notifyTag(roomId, message.seq);
    const toDevices: DeviceNotice[] = [];
    const toEmail: EmailNotice[] = [];
    for (const member of audience) {
      const facts = {
        level: member.level === "all" && threadOnly ? ("mentions" as const) : member.level,
        muted: member.muted,
        mentioned: mentioned.has(member.userId),
        dm: room.kind === "dm",
        read: member.lastReadSeq >= message.seq,
        visibleElsewhere: visible.has(member.userId),
        emailEnabled: member.email,
      };
      const decision = decideNotify(facts);
      const base = { userId: member.userId, roomId, messageId: message.id, seq: message.seq };
      if (decision.device) {
        toDevices.push({
          ...base,
          tag,
          title,
          url,
          ...(member.showText && { body: message.text }),
        });
      }
      if (decision.email && email)
        toEmail.push({ ...base, mentioned: facts.mentioned, dm: facts.dm });
    }
    await settle("deliver", [
      ...(toDevices.length > 0 ? devices.map((channel) => () => channel.deliver(toDevices)) : []),
      ...(toEmail.length > 0 && email ? [() => email.enqueue(toEmail)] : []),
    ]);
  };

  /**
   * Waits for every channel: one that fails (a push service down) is
   * logged and never keeps the others, or the next effect, from running.
   */
  const settle = async (op: string, calls: (() => Promise<void>)[]) => {
    // Called inside then(): a channel that throws at once fails alone too.
    const results = await Promise.allSettled(calls.map((call) => Promise.resolve().then(call)));
    for (const result of results) {
      if (result.status === "rejected")
        log?.warn("notification channel failed", { op, error: String(result.reason) });
    }
  };

  const work = async (effect: NotifyEffect) => {
    if (effect.op === "stored") return stored(effect);
    await settle(
      "read",
      devices.map((channel) => () => channel.read(effect.userId, effect.roomId, effect.seq)),
    );
  };

  return {
    /** Queues the effect; a failure is logged, never thrown at the frame that caused it. */
    take(effect: NotifyEffect): void {
      queue = queue
        .then(() => work(effect))
        .catch((error) =>
          log?.warn("notification failed", { error: String(error), op: effect.op }),
        );
    },
    /** Resolves when everything taken so far is done (tests, shutdown). */
    idle(): Promise<void> {
      return queue;
    },
  };
}

export type Notifier = ReturnType<typeof createNotifier>;
