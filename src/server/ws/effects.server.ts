import type { Peer } from "crossws";
import type { NotifyEffect } from "../../core/actions/shared";
import type { Effect } from "../../core/handle-frame";
import type { Hub } from "../../core/hub";
import type { UserSockets } from "../../core/presence";
import { missedPages } from "../../core/replay";
import type { BlobStore, Relay, Storage } from "../../ports";
import { encodeServerFrame } from "../../protocol/decode";
import type { ServerFrame, WireMember, WireMessage, WireUser } from "../../protocol/frames";
import type { Logger } from "../log.server";
import type { Metrics } from "../metrics.server";
import type { PreviewJobs } from "../previews/preview-jobs.server";
import { encodeRelay, type RelayMessage } from "../relay/messages.server";

/** What the relay carries for a presence change: who, which way, and the user's rooms. */
type PresenceNews = Extract<RelayMessage, { type: "presence" }>;

import { frameWriter } from "./frame-writer.server";
import { createMemberLists } from "./member-lists.server";
import { createMemberPages } from "./member-pages.server";
import { createPresenceTicks } from "./presence-ticks.server";

type Deps = {
  hub: Hub<Peer>;
  online: UserSockets<Peer>;
  storage: Storage;
  metrics: Metrics;
  /** Other instances' sockets: room events and per-user frames go there too. */
  relay: Relay;
  /** Which of these users are online on any instance (presence leases). */
  onlineAmong: (userIds: readonly string[]) => Promise<Set<string>>;
  /**
   * Where file bytes live, for `forget_blobs` (the runtime's; tests that
   * delete no files leave it out), and where a failed delete is logged.
   */
  blobs?: BlobStore;
  log?: Logger;
  /** Link previews (made off the hot path); without it, preview effects do nothing. */
  previews?: PreviewJobs;
  /** Notifications (issue 13), made off the hot path; without it, notify effects do nothing. */
  notifier?: { take(effect: NotifyEffect): void };
  /**
   * Outgoing webhooks (issue 15), fed like the notifier: a stored message's
   * notify effect and every join (an attach) become deliveries; queued,
   * never awaited.
   */
  webhooks?: { take(effect: NotifyEffect): void; joined(roomId: string, userId: string): void };
  /** Presence batching tick (PARLEY_PRESENCE_TICK_MS; 250 ms when left out). */
  presenceTickMs?: number;
};

/**
 * How long a replay waits for a socket past the slow-consumer mark to drain
 * before it gives up on it (close 4008, as the Hub does). A reader that
 * keeps up a few hundred KB/s is never cut; one that stopped is cut within it.
 */
export const REPLAY_DRAIN_TIMEOUT_MS = 10_000;
/** Code units of message text per history frame (so a frame stays well under the mark). */
export const HISTORY_FRAME_TEXT = 128 * 1024;
const DRAIN_POLL_MS = 20;

/** Splits a page of messages into runs of at most `budget` code units of text. */
export function byTextBudget(page: WireMessage[], budget = HISTORY_FRAME_TEXT): WireMessage[][] {
  const runs: WireMessage[][] = [];
  let run: WireMessage[] = [];
  let size = 0;
  for (const message of page) {
    if (run.length > 0 && size + message.text.length > budget) {
      runs.push(run);
      run = [];
      size = 0;
    }
    run.push(message);
    size += message.text.length;
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

/** Effects on rooms and users rather than on one socket. */
export type FactEffect = Extract<
  Effect,
  { kind: "publish" | "user" | "attach" | "detach" | "members" | "forget_blobs" }
>;

const FACTS: ReadonlySet<Effect["kind"]> = new Set([
  "publish",
  "user",
  "attach",
  "detach",
  "members",
  "forget_blobs",
]);
const isFact = (effect: Effect): effect is FactEffect => FACTS.has(effect.kind);

/** Effects that `one` applies without awaiting anything (see run). */
const SYNC: ReadonlySet<Effect["kind"]> = new Set([
  "reply",
  "publish",
  "user",
  "attach",
  "detach",
  "preview",
  "notify",
]);
const isSync = (effect: Effect) => SYNC.has(effect.kind);

/** Performs the core's decisions on sockets and subscriptions, counting what goes out. */
export function createEffectRunner({
  hub,
  online,
  storage,
  metrics,
  relay,
  onlineAmong,
  blobs,
  log,
  previews,
  notifier,
  webhooks,
  presenceTickMs = 250,
}: Deps) {
  const notify = (effect: NotifyEffect) => {
    notifier?.take(effect);
    webhooks?.take(effect);
  };
  // Presence goes out in ticks, one frame per socket per tick (issue 16).
  const memberPages = createMemberPages<Peer>();
  const memberLists = createMemberLists(storage.rooms);
  const ticks = createPresenceTicks({
    hub,
    tickMs: presenceTickMs,
    sent: (frames) => metrics.framesOut.inc({ type: "presence_batch" }, frames),
    known: memberPages.known,
  });
  // The relay is a fast path only (at-most-once): a lost relay frame is
  // recovered by seq from the database, so a failed publish is just logged
  // by the relay and never blocks the sender.
  const relayOut = (message: RelayMessage) => {
    const { key, data } = encodeRelay(message);
    relay.publish(key, data).catch(() => {});
  };

  /**
   * A room's member list with who is online: the whole of it up to
   * MEMBERS_INLINE_MAX members (one query reads one more to know), else the
   * first page and the count (issue 16: a join must not cost O(N) per member).
   */
  const membersOf = async (
    roomId: string,
  ): Promise<{ members: WireMember[]; memberCount?: number; membersMore?: boolean }> => {
    const { shown, count } = await memberLists.of(roomId);
    memberPages.sized(roomId, count !== undefined);
    const present = await onlineAmong(shown.map((m) => m.id));
    // Whatever happens to them before this tick ends reaches the reader.
    for (const m of shown) ticks.seen(m.id);
    const members = shown.map((m) => ({ ...m, online: present.has(m.id) }));
    if (count === undefined) return { members };
    return { members, memberCount: count, membersMore: true };
  };

  /**
   * Deletes the blobs of files whose rows a committed change removed. The
   * store is shared by every instance (a shared folder or S3), so this runs
   * once, here, and is not relayed. A delete that fails is logged and
   * leaves an orphan blob behind, never undoing the change: the message is
   * gone for good either way, and its files' URLs answer 404 with the rows.
   */
  const forgetBlobs = async (keys: readonly string[]) => {
    if (!blobs) return;
    await Promise.all(
      keys.map((key) =>
        blobs.delete(key).catch((error: unknown) => {
          log?.warn("blob delete failed", { key, error: String(error) });
        }),
      ),
    );
  };

  /** Publishes one pre-encoded event to a room, timing the fan-out. */
  const publish = (roomId: string, frame: ServerFrame, except?: Peer) => {
    const started = performance.now();
    const data = encodeServerFrame(frame);
    const count = hub.publish(roomId, data, except);
    relayOut({ type: "room", roomId, data });
    metrics.fanout.observe((performance.now() - started) / 1000);
    metrics.framesOut.inc({ type: frame.type }, count);
  };

  // The slow-consumer rule, for every write (room frames get it in the Hub):
  // a socket whose unsent bytes passed the mark is not written to but cut
  // (4008, counted, dropped from its rooms); it resumes by seq.
  const isOpen = (peer: Peer) => (peer.websocket?.readyState ?? 1) === 1;
  const tooSlow = (peer: Peer) => frameWriter.queued(peer) > hub.highWaterMark;
  const cutSlow = (peer: Peer) => {
    if (!isOpen(peer)) return; // already closing: counted once
    hub.drop(peer);
    hub.onSlow(peer);
  };

  /**
   * Waits until `bytes` more fit under the slow-consumer mark (or nothing is
   * queued). False when the socket closed or did not drain within
   * REPLAY_DRAIN_TIMEOUT_MS.
   */
  const roomFor = async (peer: Peer, bytes: number): Promise<boolean> => {
    const deadline = Date.now() + REPLAY_DRAIN_TIMEOUT_MS;
    for (;;) {
      if (!isOpen(peer)) return false;
      const queued = frameWriter.queued(peer);
      if (queued === 0 || queued + bytes <= hub.highWaterMark) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS));
    }
  };

  /**
   * Sends pages of missed messages from the database, then `done`, paced by
   * the reader: each frame waits until it fits under the slow-consumer mark,
   * so a replay never queues more than the mark, however long; a reader that
   * does not drain in time is cut with 4008.
   */
  const replay = async (
    peer: Peer,
    roomId: string,
    pages: AsyncIterable<WireMessage[]>,
    more = false,
  ) => {
    if (!isOpen(peer)) return; // closed while this frame waited its turn
    metrics.replays.inc();
    const write = async (frame: ServerFrame): Promise<boolean> => {
      const data = encodeServerFrame(frame);
      if (!(await roomFor(peer, Buffer.byteLength(data)))) {
        cutSlow(peer);
        return false;
      }
      metrics.framesOut.inc({ type: frame.type });
      frameWriter.send(peer, data);
      return true;
    };
    for await (const page of pages) {
      for (const messages of byTextBudget(page)) {
        if (!(await write({ type: "history", roomId, messages, done: false }))) return;
        metrics.replayed.inc({}, messages.length);
      }
    }
    await write({ type: "history", roomId, messages: [], done: true, ...(more && { more }) });
  };

  /** One effect of the SYNC kinds, as `one` applies it; a failure throws at once. */
  const applySync = (peer: Peer, effect: Effect) => {
    if (effect.kind === "reply") runner.send(peer, effect.frame);
    else if (effect.kind === "preview") previews?.take(effect);
    else if (effect.kind === "notify") notify(effect);
    else if (isFact(effect))
      void runner.fact(effect, effect.kind === "publish" && effect.exceptSelf ? peer : undefined);
  };

  const runner = {
    /** Publishes to the other instances, best effort (see relayOut). */
    relayOut,

    send(peer: Peer, frame: ServerFrame) {
      if (tooSlow(peer)) {
        cutSlow(peer);
        return;
      }
      metrics.framesOut.inc({ type: frame.type });
      if (frame.type === "ack") metrics.acks.inc();
      frameWriter.send(peer, encodeServerFrame(frame));
    },

    /**
     * Writes a pre-encoded frame to every local socket of a user (framed once
     * for all), under the slow-consumer rule.
     */
    toUser(userId: string, data: string) {
      const sockets = online.socketsOf(userId);
      if (sockets.size === 0) return;
      const prepared = frameWriter.prepare(data);
      let count = 0;
      for (const socket of [...sockets]) {
        if (tooSlow(socket)) {
          cutSlow(socket);
          continue;
        }
        frameWriter.write(socket, prepared, data);
        count++;
      }
      metrics.framesOut.inc({ type: "user" }, count);
    },

    /** Delivers a room event another instance published to the local sockets in the room. */
    roomFromRelay(roomId: string, data: string) {
      metrics.framesOut.inc({ type: "relayed" }, hub.publish(roomId, data));
    },

    /**
     * Tells each room's other members, in that room, that this socket's
     * user is there (a subscribe: it may be news that they are a member).
     */
    announce(peer: Peer, roomIds: Iterable<string>, isOnline: boolean) {
      // Not a transition (see PresenceBatch.add), and not relayed: other
      // instances heard the user's arrival, and a new member's list comes
      // with the `members` effect of the join.
      ticks.add(peer.context.user, isOnline, roomIds, false);
    },

    /**
     * Tells everyone who shares a room with the user (on every instance)
     * that they came online or went offline: at the end of the presence
     * tick, in the one frame each socket gets per tick (issue 16; issue 18,
     * F-11 made it one per socket, not per room), and now one relay message
     * naming the rooms, which other instances batch the same way.
     */
    announceUser(user: WireUser, roomIds: Iterable<string>, isOnline: boolean) {
      const rooms = [...roomIds];
      if (rooms.length === 0) return;
      runner.presenceToRooms({ user, online: isOnline, rooms });
      relayOut({ type: "presence", user, online: isOnline, rooms });
    },

    /** Queues a presence change for the local sockets in any of its rooms (next tick). */
    presenceToRooms(news: Omit<PresenceNews, "type">) {
      ticks.add(news.user, news.online, news.rooms);
    },

    /** The presence batch's timer (flush: end the tick now; stop: on dispose). */
    presenceTicks: ticks,

    /** Sends a room's member list, with who is online, to everyone in it. */
    async publishMembers(roomId: string) {
      // The membership (or a member's name) changed: read the list afresh.
      memberLists.forget(roomId);
      const list = await membersOf(roomId);
      if (list.membersMore) {
        const ids = list.members.map((m) => m.id);
        memberPages.sentToAll(hub.sinksIn(roomId), roomId, ids);
      }
      publish(roomId, { type: "members", roomId, ...list });
    },

    /** Moves the user's local sockets into (or out of) a room's topic. */
    moveLocal(userId: string, roomId: string, into: boolean) {
      for (const socket of online.socketsOf(userId)) {
        if (into) hub.subscribe(socket, roomId);
        else hub.unsubscribe(socket, roomId);
      }
    },

    async run(peer: Peer, effects: Effect[]) {
      // perf: a send's effects (ack, publish, read marker) are all
      // synchronous; written under one cork, the sender's frames leave in
      // one syscall. Anything that awaits is run as before.
      if (effects.every(isSync)) {
        frameWriter.corked(peer, () => {
          for (const effect of effects) applySync(peer, effect);
        });
        return;
      }
      for (const effect of effects) await runner.one(peer, effect);
    },

    /**
     * Applies effects that concern no socket of their own (a server
     * function's: someone joined a room), as a frame's effects are applied.
     */
    async apply(effects: readonly Effect[]) {
      for (const effect of effects) {
        if (!isFact(effect)) throw new Error(`effect "${effect.kind}" needs a socket`);
        await runner.fact(effect);
      }
    },

    /**
     * Applies a frame's effects for an actor with no socket (issue 15: a
     * REST call, a webhook, a bot's command): the room's and the user's
     * events go out as they do for a socket's frame (a publish reaches the
     * author's sockets too, since no socket sent it), previews and
     * notifications are queued, and the replies are handed back for the
     * caller to answer with. A subscribe or fetch concerns a socket and has
     * no meaning here: the API reads through its own endpoints.
     */
    async runDetached(effects: readonly Effect[]): Promise<ServerFrame[]> {
      const replies: ServerFrame[] = [];
      for (const effect of effects) {
        if (effect.kind === "reply") replies.push(effect.frame);
        else if (effect.kind === "preview") previews?.take(effect);
        else if (effect.kind === "notify") notify(effect);
        else if (isFact(effect)) await runner.fact(effect);
      }
      return replies;
    },

    async one(peer: Peer, effect: Effect) {
      switch (effect.kind) {
        case "reply":
          // A further page of a large room's list: presence now covers it too.
          // As for a first page (membersOf), whoever it shows is seen: a
          // change of theirs pending in this tick reaches the reader.
          if (effect.frame.type === "members" && effect.frame.page) {
            const ids = effect.frame.members.map((m) => m.id);
            memberPages.sent(peer, effect.frame.roomId, ids, false);
            for (const id of ids) ticks.seen(id);
          }
          runner.send(peer, effect.frame);
          return;
        case "subscribe": {
          const { roomId } = effect;
          // Subscribe before reading the position: anything committed from
          // here on arrives live, everything before comes from the replay.
          hub.subscribe(peer, roomId);
          const { lastSeq, lastRev } = await storage.messages.position(roomId);
          const members = await membersOf(roomId);
          if (members.membersMore) {
            const ids = members.members.map((m) => m.id);
            memberPages.sent(peer, roomId, ids, true);
          }
          runner.send(peer, { type: "subscribed", roomId, lastSeq, lastRev, ...members });
          if (effect.afterSeq !== undefined || effect.afterRev !== undefined) {
            const range = {
              afterSeq: effect.afterSeq,
              afterRev: effect.afterRev,
              untilSeq: lastSeq,
            };
            await replay(peer, roomId, missedPages(storage.messages, roomId, range));
          }
          runner.announce(peer, [roomId], true);
          return;
        }
        case "fetch": {
          const { roomId, afterSeq, untilSeq, more } = effect;
          const pages = missedPages(storage.messages, roomId, { afterSeq, untilSeq });
          await replay(peer, roomId, pages, more);
          return;
        }
        case "preview":
          // Queued, not awaited: the frame's answer never waits on another site.
          previews?.take(effect);
          return;
        case "notify":
          notify(effect);
          return;
        default:
          return runner.fact(
            effect,
            effect.kind === "publish" && effect.exceptSelf ? peer : undefined,
          );
      }
    },

    /**
     * An effect on rooms and users, not on one socket; `except` is left out
     * of a publish. Only a member list and blob deletes are awaited (perf:
     * a publish stays synchronous).
     */
    fact(effect: FactEffect, except?: Peer): Promise<void> | undefined {
      switch (effect.kind) {
        case "publish":
          publish(effect.roomId, effect.frame, except);
          return;
        case "user": {
          const data = encodeServerFrame(effect.frame);
          runner.toUser(effect.userId, data);
          relayOut({ type: "user", userId: effect.userId, data });
          return;
        }
        case "attach":
        case "detach": {
          const into = effect.kind === "attach";
          runner.moveLocal(effect.userId, effect.roomId, into);
          const { userId, roomId } = effect;
          // A join happens once, here, on the instance that made it.
          if (into) webhooks?.joined(roomId, userId);
          relayOut({ type: into ? "attach" : "detach", userId, roomId });
          return;
        }
        case "members":
          return runner.publishMembers(effect.roomId);
        case "forget_blobs":
          return forgetBlobs(effect.keys);
      }
    },
  };
  return runner;
}

export type EffectRunner = ReturnType<typeof createEffectRunner>;
