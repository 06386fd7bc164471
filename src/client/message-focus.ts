/**
 * Where focus goes when a message's own control is gone (DOM only, browser
 * side). A message is an `<li data-seq>` in a `role="log"`; it takes focus
 * with tabIndex -1, so Tab goes on from inside it, without becoming a Tab stop.
 */

/** Focuses a message's element (a search hit, the next message after a delete). */
export function focusMessage(item: HTMLElement, scroll = false): void {
  item.tabIndex = -1;
  item.focus({ preventScroll: !scroll });
}

/** The message after `item` in its log, if any. */
export function nextMessage(item: HTMLElement): HTMLElement | null {
  const log = item.closest('[role="log"]');
  if (!log) return null;
  const all = [...log.querySelectorAll<HTMLElement>("li[data-seq]")];
  return all[all.indexOf(item) + 1] ?? null;
}

/** The composer of the part of the page the log is in (the room's, or the thread's "Reply"). */
export function composerNear(item: HTMLElement): HTMLTextAreaElement | null {
  const region = item.closest("aside, main");
  const boxes = region?.querySelectorAll<HTMLTextAreaElement>("textarea");
  // The composer is the last box: an open editor sits in the log above it.
  return boxes && boxes.length > 0 ? (boxes[boxes.length - 1] ?? null) : null;
}

/**
 * After a delete: the next message, or the composer when it was the last.
 * Computed before the deletion shows, while the message is still in place.
 */
export function focusAfterDelete(item: HTMLElement): () => void {
  const next = nextMessage(item);
  const composer = next ? null : composerNear(item);
  return () => {
    if (next?.isConnected) focusMessage(next);
    else if (composer?.isConnected) composer.focus();
  };
}
