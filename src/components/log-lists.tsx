import type { ReactNode } from "react";
import { dayLabel } from "../client/log-dates";
import { placeMessages } from "../client/log-grouping";
import { isThreadOnly } from "../client/thread-unread";
import type { WireMessage } from "../protocol/frames";
import { DayDivider } from "./DayDivider";
import { NewMessagesDivider } from "./NewMessagesDivider";

type Breaks = {
  dividerSeq: number | null;
  focusSeq: number | undefined;
  /** The loader standing in for `missing` messages just before `seq`. */
  gap: (missing: number, seq: number) => ReactNode;
  /** The reader's time zone and now: which day each message is on, and its divider's words. */
  zone: string;
  now: Date;
};

/** How one message shows: the search hit, and whether it opens a group (avatar, name, time). */
export type ItemPlace = { focused: boolean; startsGroup: boolean };

/**
 * The room log's messages as lists with the date dividers, the "New
 * messages" divider and the gap loaders between them. A <ul> may hold only
 * <li>s (axe's "list" rule), and a divider is not a message, so it breaks
 * the list instead of sitting in it. Each list is keyed by what precedes it
 * (the start, a day, the divider, a gap), so loading older pages does not
 * remount the messages. Anything between two messages also breaks a group.
 */
export function logLists(
  messages: readonly WireMessage[],
  item: (message: WireMessage, place: ItemPlace) => ReactNode,
  pending: ReactNode[],
  breaks: Breaks,
): ReactNode[] {
  // First what stands before each shown message (gaps, the divider), then the groups.
  type Gap = { missing: number; seq: number };
  type Shown = { message: WireMessage; gaps: Gap[]; divider: boolean };
  const shown: Shown[] = [];
  let gaps: Gap[] = [];
  let divider = false;
  messages.forEach((message, index) => {
    const previous = messages[index - 1];
    const missing = previous ? message.seq - previous.seq - 1 : 0;
    if (missing > 0) gaps.push({ missing, seq: message.seq });
    if (message.seq === breaks.dividerSeq) divider = true;
    // A reply kept in its thread holds a seq (no gap) but is shown in the thread
    // only; what stood before it goes before the next shown message.
    if (isThreadOnly(message)) return;
    shown.push({ message, gaps, divider });
    gaps = [];
    divider = false;
  });
  const broken = new Set(
    shown.filter((s) => s.gaps.length > 0 || s.divider).map((s) => s.message.seq),
  );
  const places = placeMessages(
    shown.map((s) => s.message),
    breaks.zone,
    (seq) => broken.has(seq),
  );

  const blocks: ReactNode[] = [];
  const daysSeen = new Map<string, number>();
  let listKey = "start";
  let items: ReactNode[] = [];
  const flush = (nextKey: string) => {
    if (items.length > 0) {
      blocks.push(
        <ul key={listKey} className="flex flex-col">
          {items}
        </ul>,
      );
    }
    items = [];
    listKey = nextKey;
  };
  const pushGaps = (list: Gap[]) => {
    for (const { missing, seq } of list) {
      flush(`after-gap-${seq}`);
      blocks.push(breaks.gap(missing, seq));
    }
  };
  shown.forEach(({ message, gaps: before, divider: unreadHere }, index) => {
    const place = places[index];
    if (!place) return;
    pushGaps(before);
    if (unreadHere) {
      flush("after-divider");
      blocks.push(<NewMessagesDivider key="divider" />);
    }
    if (place.newDay) {
      // The same day twice (a clock that went back) still needs unique keys.
      const seen = (daysSeen.get(place.day) ?? 0) + 1;
      daysSeen.set(place.day, seen);
      const key = seen === 1 ? place.day : `${place.day}-${seen}`;
      flush(`after-day-${key}`);
      blocks.push(
        <DayDivider
          key={`day-${key}`}
          label={dayLabel(message.createdAt, breaks.now, breaks.zone)}
        />,
      );
    }
    items.push(
      item(message, {
        focused: message.seq === breaks.focusSeq,
        startsGroup: place.startsGroup,
      }),
    );
  });
  // Hidden replies at the very end: their gaps and divider still show.
  pushGaps(gaps);
  if (divider) {
    flush("after-divider");
    blocks.push(<NewMessagesDivider key="divider" />);
  }
  items.push(...pending);
  flush("end");
  return blocks;
}
