import type { RoomSummary } from "../protocol/frames";
import { unreadCount } from "./unread";

/**
 * The tab title and favicon (issue 13): "(N) Parley" where N counts the
 * rooms that want the user's attention, the ones a notification would be
 * about: a room with an unread mention, a DM with unread messages. A muted
 * room never counts (muting keeps it out of the title). Pure: the hook
 * (hooks/useDocTitle) applies it to the document.
 */
export function attentionCount(rooms: readonly RoomSummary[]): number {
  let count = 0;
  for (const room of rooms) {
    if (room.notify?.muted) continue;
    const unread = unreadCount(room);
    if (unread === 0) continue;
    if (room.kind === "dm" || room.mentioned) count++;
  }
  return count;
}

/** A "(N) " prefix a title may carry already (ours, from before). */
const PREFIX = /^\(\d+\) /;

/** The title without any count: what the page itself set. */
export function baseTitle(title: string): string {
  return title.replace(PREFIX, "");
}

/** The page's title with the count in front when there is one ("(2) general · Parley"). */
export function titleWithCount(title: string, count: number): string {
  const base = baseTitle(title);
  return count > 0 ? `(${count}) ${base}` : base;
}

/** The favicon: the app's circle, with a red dot in the corner when something wants attention. */
export function faviconHref(dot: boolean): string {
  const circle = "<circle cx='8' cy='8' r='7' fill='%234f46e5'/>";
  const badge = dot ? "<circle cx='12.5' cy='3.5' r='3.5' fill='%23e11d48'/>" : "";
  return `data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'>${circle}${badge}</svg>`;
}
