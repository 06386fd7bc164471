import type { ReactNode } from "react";
import { isThreadOnly } from "../client/thread-unread";
import type { WireMessage } from "../protocol/frames";
import { NewMessagesDivider } from "./NewMessagesDivider";

type Breaks = {
  dividerSeq: number | null;
  focusSeq: number | undefined;
  /** The loader standing in for `missing` messages just before `seq`. */
  gap: (missing: number, seq: number) => ReactNode;
};

/**
 * The room log's messages as lists with the "New messages" divider and the
 * gap loaders between them. A <ul> may hold only <li>s (axe's "list" rule),
 * and a divider is not a message, so it breaks the list instead of sitting
 * in it. Each list is keyed by what precedes it (the start, the divider, a
 * gap), so loading older pages does not remount the messages.
 */
export function logLists(
  messages: readonly WireMessage[],
  item: (message: WireMessage, focused: boolean) => ReactNode,
  pending: ReactNode[],
  breaks: Breaks,
): ReactNode[] {
  const blocks: ReactNode[] = [];
  let listKey = "start";
  let items: ReactNode[] = [];
  const flush = (nextKey: string) => {
    if (items.length > 0) {
      blocks.push(
        <ul key={listKey} className="flex flex-col gap-1">
          {items}
        </ul>,
      );
    }
    items = [];
    listKey = nextKey;
  };
  messages.forEach((message, index) => {
    const previous = messages[index - 1];
    const missing = previous ? message.seq - previous.seq - 1 : 0;
    // A reply kept in its thread holds a seq (no gap) but is shown in the thread only.
    if (isThreadOnly(message) && missing === 0) return;
    if (missing > 0) {
      flush(`after-gap-${message.seq}`);
      blocks.push(breaks.gap(missing, message.seq));
    }
    if (message.seq === breaks.dividerSeq) {
      flush("after-divider");
      blocks.push(<NewMessagesDivider key="divider" />);
    }
    if (!isThreadOnly(message)) items.push(item(message, message.seq === breaks.focusSeq));
  });
  items.push(...pending);
  flush("end");
  return blocks;
}
