import { roomComposer } from "../client/focus-regions";

/** The id of the box around the room's composer (the skip link's target). */
export const COMPOSER_ID = "composer";

/**
 * "Skip to composer": the room page's first Tab stop, hidden until it has
 * focus. Following it focuses the composer's textarea itself (a plain
 * fragment link would only move the reading point); before hydration the
 * fragment still scrolls there.
 */
export function SkipToComposer() {
  return (
    <a
      href={`#${COMPOSER_ID}`}
      onClick={(event) => {
        const box = roomComposer();
        if (!box) return;
        event.preventDefault();
        box.focus();
      }}
      className="sr-only focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:text-sm focus:font-medium focus:text-indigo-800 focus:shadow-lg focus:outline-2 focus:outline-indigo-500"
    >
      Skip to composer
    </a>
  );
}
