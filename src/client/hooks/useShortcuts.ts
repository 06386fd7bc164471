import { useEffect, useRef } from "react";
import { keyContextOf, type ShortcutAction, shortcutFor } from "../shortcuts";

/** An open modal (native <dialog> or an ARIA one) owns the keyboard. */
const MODAL = 'dialog[open], [role="dialog"][aria-modal="true"], [role="alertdialog"]';

/**
 * Calls `run` for the global shortcuts (src/client/shortcuts.ts) pressed
 * anywhere on the page, and keeps the browser's own meaning of those keys
 * (Ctrl+K: the address bar) from happening as well.
 */
export function useShortcuts(run: (action: ShortcutAction) => void): void {
  const latest = useRef(run);
  latest.current = run;
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented) return;
      const target = event.target instanceof Element ? (event.target as HTMLElement) : null;
      const where = keyContextOf(target, document.querySelector(MODAL) !== null);
      const action = shortcutFor(event, where);
      if (!action) return;
      event.preventDefault();
      latest.current(action);
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, []);
}
