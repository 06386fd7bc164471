import { useEffect, useSyncExternalStore } from "react";
import {
  currentHighlighter,
  type Highlighter,
  loadHighlighter,
  onHighlighterLoaded,
} from "../highlight";

/**
 * The code highlighter once loaded (null before, and always during server
 * rendering and hydration, so the first paint matches the server's plain
 * code); `wanted` starts the load.
 */
export function useHighlighter(wanted: boolean): Highlighter | null {
  const highlighter = useSyncExternalStore(onHighlighterLoaded, currentHighlighter, () => null);
  useEffect(() => {
    if (wanted && !highlighter) void loadHighlighter();
  }, [wanted, highlighter]);
  return highlighter;
}
