import type { RoomSummary, ThreadState, WireMessage } from "../protocol/frames";

/**
 * A thread as the client counts its unread replies: the server's last word
 * (`state`: unread as of its `latestSeq`), plus the seqs of replies by
 * others that arrived live after that. Each server word replaces the
 * baseline, so every device agrees once they have heard the same states.
 */
export type ThreadCounter = { state: ThreadState; live: readonly number[] };

/** A reply kept out of the room's main log (it takes a seq but is not room unread). */
export function isThreadOnly(message: Pick<WireMessage, "threadRootId" | "alsoInRoom">): boolean {
  return message.threadRootId !== undefined && message.alsoInRoom !== true;
}

/** Unread replies of a followed thread; an unfollowed thread has none. */
export function threadUnread(counter: ThreadCounter | undefined): number {
  if (!counter?.state.following) return 0;
  const { unread, lastReadSeq } = counter.state;
  return unread + counter.live.filter((seq) => seq > lastReadSeq).length;
}

/** A new server word: it counts everything up to its latestSeq, so only later live replies stay. */
export function withState(counter: ThreadCounter | undefined, state: ThreadState): ThreadCounter {
  const live = (counter?.live ?? []).filter((seq) => seq > state.latestSeq);
  return { state, live };
}

/**
 * A live reply: counted once, when it is someone else's, in a thread we
 * count, after what the server already counted. One's own reply moves
 * one's marker; the server's thread_state says so.
 */
export function withReply(
  counter: ThreadCounter | undefined,
  reply: WireMessage,
  myId: string,
): ThreadCounter | undefined {
  if (!counter || reply.threadRootId !== counter.state.rootId) return counter;
  if (reply.author.id === myId || reply.seq <= counter.state.latestSeq) return counter;
  if (counter.live.includes(reply.seq)) return counter;
  return { ...counter, live: [...counter.live, reply.seq] };
}

/** Unread replies across the followed threads (the "Threads, N unread" link). */
export function totalThreadUnread(counters: Iterable<ThreadCounter>): number {
  let total = 0;
  for (const counter of counters) total += threadUnread(counter);
  return total;
}

/** The navigation link's accessible name: "Threads" or "Threads, 3 unread". */
export function threadsLinkLabel(unread: number): string {
  return unread > 0 ? `Threads, ${unread} unread` : "Threads";
}

/**
 * A room summary after a live thread-only reply: its seq is listed so the
 * room's unread skips it (client/unread.ts). Idempotent.
 */
export function withThreadOnlySeq(summary: RoomSummary, message: WireMessage): RoomSummary {
  if (!isThreadOnly(message) || message.seq <= summary.lastReadSeq) return summary;
  const listed = summary.threadOnlySeqs ?? [];
  if (listed.includes(message.seq)) return summary;
  return { ...summary, threadOnlySeqs: [...listed, message.seq] };
}
