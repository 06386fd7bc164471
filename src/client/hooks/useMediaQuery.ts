import { useCallback, useSyncExternalStore } from "react";

/**
 * Whether a CSS media query matches, live. The server (which has no
 * window) answers `serverValue`; the browser's answer follows at hydration,
 * so markup that must be right before then uses the same query in CSS.
 */
export function useMediaQuery(query: string, serverValue = false): boolean {
  const subscribe = useCallback(
    (change: () => void) => {
      const list = window.matchMedia(query);
      list.addEventListener("change", change);
      return () => list.removeEventListener("change", change);
    },
    [query],
  );
  return useSyncExternalStore(
    subscribe,
    () => window.matchMedia(query).matches,
    () => serverValue,
  );
}
