import type { Root } from "hast";

/** Highlights code in a language as a tree of spans (null: language unknown). */
export type Highlighter = (language: string, code: string) => Root | null;

let highlighter: Highlighter | null = null;
let loading: Promise<void> | null = null;
const listeners = new Set<() => void>();

/**
 * Loads the highlighter once (a separate chunk, so pages without code
 * blocks never fetch it) and tells the subscribers. A failed load (the
 * chunk did not arrive) leaves code plain and lets the next call try again.
 */
export function loadHighlighter(): Promise<void> {
  loading ??= import("./highlight-languages").then(
    (module) => {
      highlighter = module.highlightCode;
      for (const listener of listeners) listener();
    },
    () => {
      loading = null;
    },
  );
  return loading;
}

/** The loaded highlighter, or null while it is not (yet) there. */
export function currentHighlighter(): Highlighter | null {
  return highlighter;
}

/** Calls `listener` when the highlighter has loaded; returns the unsubscribe. */
export function onHighlighterLoaded(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
