import { useEffect } from "react";
import { takeComposerFocus } from "../arrival-focus";

/** How long to keep trying (the composer is disabled until the navigation settles). */
const TRY_FOR_MS = 3_000;

/** The room's composer: the textarea labelled "Message" in <main> (not a thread's "Reply"). */
function roomComposer(): HTMLTextAreaElement | undefined {
  return [...document.querySelectorAll<HTMLTextAreaElement>("main textarea")].find(
    (box) => box.labels?.[0]?.textContent?.trim() === "Message",
  );
}

/**
 * After sign-in or sign-up (see client/arrival-focus.ts), moves focus into
 * the composer of the room the person arrives in, once it can take it
 * (it is disabled while the router is still settling). Gives up when
 * something else got focus first, or after a few seconds.
 */
export function useArrivalFocus(): void {
  useEffect(() => {
    if (!takeComposerFocus()) return;
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
  }, []);
}
