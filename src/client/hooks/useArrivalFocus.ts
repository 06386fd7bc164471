import { useEffect, useState } from "react";
import { takeComposerFocus } from "../arrival-focus";
import { roomComposer } from "../focus-regions";

/** How long to keep trying (the composer is disabled until the navigation settles). */
const TRY_FOR_MS = 3_000;

/**
 * Moves focus into the room's composer once it can take it (it is disabled
 * while the router is still settling). Gives up when something else got
 * focus first, or after a few seconds. Returns the cancel.
 */
export function focusComposerSoon(): () => void {
  const until = Date.now() + TRY_FOR_MS;
  let frame = 0;
  const attempt = () => {
    const box = roomComposer();
    const active = document.activeElement;
    const free = active === null || active === document.body || active === box;
    if (!free) return;
    if (box && !box.disabled) {
      box.focus();
      if (document.activeElement === box) return;
    }
    if (Date.now() < until) frame = requestAnimationFrame(attempt);
  };
  attempt();
  return () => cancelAnimationFrame(frame);
}

/**
 * After sign-in or sign-up (see client/arrival-focus.ts), moves focus into
 * the composer of the room the person arrives in.
 */
export function useArrivalFocus(): void {
  useEffect(() => {
    if (!takeComposerFocus()) return;
    return focusComposerSoon();
  }, []);
}

/** Whether a room screen was already shown in this page (so the next one is a switch). */
let roomShown = false;

/**
 * After switching rooms (the room screen is mounted afresh per room), focus
 * goes to the new room's composer: the link or key that switched is gone
 * with the old screen, and focus would fall to <body>. Not on the page's
 * first room (Tab starts at "Skip to composer" there), nor when the visit
 * focuses something of its own (`skip`: a search hit, a thread).
 */
export function useRoomSwitchFocus(skip: boolean): void {
  // Decided once, as the screen mounts.
  const [skipped] = useState(skip);
  useEffect(() => {
    const switched = roomShown;
    roomShown = true;
    if (!switched || skipped) return;
    return focusComposerSoon();
  }, [skipped]);
}
