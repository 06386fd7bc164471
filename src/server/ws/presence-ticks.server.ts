import type { Peer } from "crossws";
import type { Hub } from "../../core/hub";
import { deliveries, type KnownMembers, PresenceBatch } from "../../core/presence-batch";
import { encodeServerFrame } from "../../protocol/decode";
import type { WireUser } from "../../protocol/frames";

type Deps = {
  hub: Hub<Peer>;
  tickMs: number;
  /** Counts the frames a tick wrote. */
  sent: (frames: number) => void;
  /** The pages of a large room's list a socket holds (member-pages.server.ts). */
  known?: KnownMembers<Peer>;
};

/**
 * The timer around a PresenceBatch (src/core/presence-batch.ts): the first
 * change of an empty batch starts a tick; when it ends, every local socket
 * that shares a room with someone who changed gets one `presence_batch`
 * frame. Changes from other instances (the relay) go into the same batch,
 * so every instance sends its sockets the same end-of-tick states. In a
 * large room a socket hears only of the members on the pages it holds.
 */
export function createPresenceTicks({ hub, tickMs, sent, known }: Deps) {
  const batch = new PresenceBatch();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    const changes = batch.take();
    if (changes.length === 0) return;
    let frames = 0;
    for (const delivery of deliveries(changes, (roomId) => hub.sinksIn(roomId), known)) {
      const data = encodeServerFrame({ type: "presence_batch", changes: delivery.changes });
      frames += hub.writeTo(delivery.sinks, data);
    }
    sent(frames);
  };

  return {
    /** Notes a change (see PresenceBatch.add); it goes out when the tick ends. */
    add(user: WireUser, online: boolean, rooms: Iterable<string>, transition = true) {
      if (batch.add(user, online, rooms, transition) && timer === undefined) {
        timer = setTimeout(flush, tickMs);
        timer.unref?.();
      }
    },
    /** See PresenceBatch.seen: a member list read mid-tick showed this user. */
    seen: (userId: string) => batch.seen(userId),
    /** Ends the tick now (tests, shutdown). */
    flush,
    stop() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}

export type PresenceTicks = ReturnType<typeof createPresenceTicks>;
