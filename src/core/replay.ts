import type { MessageStore } from "../ports";
import { FETCH_LIMIT, REPLAY_PAGE, type WireMessage } from "../protocol/frames";

/**
 * The part of a `fetch` (afterSeq < seq < beforeSeq, or to the end) served
 * at once: at most `limit` messages, never past the room's last seq.
 * `more` says the client must fetch again from where this part ends.
 */
export function fetchRange(
  afterSeq: number,
  beforeSeq: number | undefined,
  lastSeq: number,
  limit = FETCH_LIMIT,
): { untilSeq: number; more: boolean } {
  const wanted = Math.min(beforeSeq === undefined ? lastSeq : beforeSeq - 1, lastSeq);
  const untilSeq = Math.max(afterSeq, Math.min(wanted, afterSeq + limit));
  return { untilSeq, more: untilSeq < wanted };
}

/**
 * Pages of the messages a client missed: every seq in (afterSeq, untilSeq],
 * then every message changed after `afterRev`, read from the database (the
 * source of truth), however long the client was away.
 */
export async function* missedPages(
  messages: MessageStore,
  roomId: string,
  range: { afterSeq?: number; afterRev?: number; untilSeq: number },
  pageSize = REPLAY_PAGE,
): AsyncGenerator<WireMessage[]> {
  if (range.afterSeq !== undefined) {
    let cursor = range.afterSeq;
    while (cursor < range.untilSeq) {
      const page = await messages.after(roomId, cursor, pageSize, range.untilSeq + 1);
      if (page.length === 0) break;
      yield page;
      cursor = page[page.length - 1]?.seq ?? range.untilSeq;
    }
  }
  if (range.afterRev !== undefined) {
    let rev = range.afterRev;
    for (;;) {
      const page = await messages.changedSince(roomId, rev, pageSize);
      // Messages past the replayed range arrive live; sending them twice is harmless.
      if (page.length === 0) break;
      yield page;
      rev = page[page.length - 1]?.rev ?? rev;
      if (page.length < pageSize) break;
    }
  }
}
