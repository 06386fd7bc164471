import type { WireMessage } from "../protocol/frames";
import { isThreadOnly } from "./thread-unread";

/**
 * The room page's search params that show one message: `?m=<seq>` in the
 * room's log, or, for a reply kept in its thread (not in that log),
 * `?t=<rootId>&r=<seq>`: its thread opens with the reply in view.
 */
export type MessageLinkSearch = { m: number } | { t: string; r: number };

/** Where a link to this message (search hit, saved, pinned) should land. */
export function messageLinkSearch(
  message: Pick<WireMessage, "seq" | "threadRootId" | "alsoInRoom">,
): MessageLinkSearch {
  if (message.threadRootId !== undefined && isThreadOnly(message)) {
    return { t: message.threadRootId, r: message.seq };
  }
  return { m: message.seq };
}
