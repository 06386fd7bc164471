import type { WireMessage } from "../protocol/frames";
import { dayKey } from "./log-dates";

/** Messages by one author this close together (from the one before) share a header. */
export const GROUP_WINDOW_MS = 5 * 60_000;

/** What grouping reads of a message. */
export type Groupable = Pick<
  WireMessage,
  "seq" | "author" | "createdAt" | "deleted" | "threadRootId" | "via"
>;

/** Where a message sits in the log: after a date divider, and whether it opens a group. */
export type Placement = {
  /** Its calendar day in the reader's zone ("YYYY-MM-DD"). */
  day: string;
  /** A date divider goes before it (the first message shown, or a new day). */
  newDay: boolean;
  /** It shows the header (avatar, name, time); false: it continues the group above. */
  startsGroup: boolean;
};

/**
 * Places the messages shown in a log, in order. A group breaks on another
 * author, more than five minutes since the previous message (or a clock
 * that went back), a new day, a deleted message (on either side), a thread
 * reply shown in the room (on either side: it carries its own "Replied in a
 * thread" line), and anything the log puts between two messages
 * (`breakBefore`: the "New messages" divider, a gap loader).
 */
export function placeMessages(
  messages: readonly Groupable[],
  zone: string,
  breakBefore: (seq: number) => boolean = () => false,
): Placement[] {
  const placed: Placement[] = [];
  let previous: Groupable | undefined;
  let previousDay = "";
  for (const message of messages) {
    const day = dayKey(message.createdAt, zone);
    const newDay = previous === undefined || day !== previousDay;
    const apart = previous
      ? Date.parse(message.createdAt) - Date.parse(previous.createdAt)
      : Number.NaN;
    const startsGroup =
      previous === undefined ||
      newDay ||
      previous.author.id !== message.author.id ||
      // One webhook posting under another name (Slack's username) is another
      // sender, and so is a person's slash command answering in their name.
      previous.via?.username !== message.via?.username ||
      previous.via?.webhook !== message.via?.webhook ||
      !(apart >= 0 && apart <= GROUP_WINDOW_MS) ||
      previous.deleted ||
      message.deleted ||
      previous.threadRootId !== undefined ||
      message.threadRootId !== undefined ||
      breakBefore(message.seq);
    placed.push({ day, newDay, startsGroup });
    previous = message;
    previousDay = day;
  }
  return placed;
}
