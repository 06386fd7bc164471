// Where F6 moves focus on the room page (browser only). The cycle is the
// room list, the conversation and the composer, in reading order; a region
// that is not shown (the room list below 768 px lives in the "Rooms"
// drawer) is left out, so F6 never lands on something invisible.
import { regionAfter } from "./shortcuts";

/** The room's composer: the textarea labelled "Message" in <main> (not a thread's "Reply"). */
export function roomComposer(): HTMLTextAreaElement | undefined {
  return [...document.querySelectorAll<HTMLTextAreaElement>("main textarea")].find(
    (box) => box.labels?.[0]?.textContent?.trim() === "Message",
  );
}

type Region = { area: Element; target: HTMLElement };

const shown = (el: Element) => (el as HTMLElement).offsetParent !== null;

function regions(): Region[] {
  const found: Region[] = [];
  const nav = [...document.querySelectorAll('nav[aria-label="Rooms"]')].find(
    (el) => shown(el) && !el.closest("dialog"),
  );
  // The current room's link, else the list's first link.
  const link = nav?.querySelector<HTMLElement>('a[aria-current="page"]') ?? nav?.querySelector("a");
  if (nav && link) found.push({ area: nav, target: link });
  const log = document.querySelector<HTMLElement>('main [role="log"][aria-label="Messages"]');
  if (log && shown(log)) {
    // The log itself takes focus (a screen reader names it; the arrow keys
    // then scroll its box), but it is no Tab stop: Tab goes through its messages.
    if (!log.hasAttribute("tabindex")) log.tabIndex = -1;
    found.push({ area: log.parentElement ?? log, target: log });
  }
  const box = roomComposer();
  const form = box?.closest("form");
  if (box && form) found.push({ area: form, target: box });
  return found;
}

/** Moves focus to the next (+1) or previous (-1) region; false when there is none. */
export function focusRegion(step: -1 | 1): boolean {
  const all = regions();
  const active = document.activeElement;
  const current = all.findIndex((r) => active !== null && r.area.contains(active));
  const next = all[regionAfter(current, all.length, step)];
  if (!next) return false;
  next.target.focus();
  return document.activeElement === next.target;
}
