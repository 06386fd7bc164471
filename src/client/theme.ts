// The colour theme: the person's choice (System, Light, Dark), kept per
// browser in localStorage. <html data-theme> carries the choice (the CSS
// turns it into `color-scheme`, which drives the whole palette, see
// src/styles.css); <html class="dark"> says whether dark is in effect, for
// any selector that needs it.

import { safeLocalStorage } from "./local-storage";

/** The choices the "Theme" control offers. */
export const THEMES = ["system", "light", "dark"] as const;
export type Theme = (typeof THEMES)[number];

/** The localStorage key of the choice (one per browser, shared by every account). */
export const THEME_KEY = "parley.theme";

const DARK_QUERY = "(prefers-color-scheme: dark)";

/** A storage that may be missing or throw (private mode, blocked cookies). */
type MaybeStorage = Pick<Storage, "getItem" | "setItem"> | null | undefined;

/** The stored choice; "system" when none, unreadable or not one of THEMES. */
export function readTheme(storage: MaybeStorage): Theme {
  try {
    const value = storage?.getItem(THEME_KEY);
    return (THEMES as readonly string[]).includes(value ?? "") ? (value as Theme) : "system";
  } catch {
    return "system";
  }
}

/** Keeps the choice; false when the browser refused (it then lasts for this page only). */
export function saveTheme(storage: MaybeStorage, theme: Theme): boolean {
  try {
    storage?.setItem(THEME_KEY, theme);
    return Boolean(storage);
  } catch {
    return false;
  }
}

/** Whether dark is in effect for a choice, given the system's preference. */
export function isDark(theme: Theme, systemDark: boolean): boolean {
  return theme === "dark" || (theme === "system" && systemDark);
}

/** Puts a choice on <html>: data-theme for the CSS, the `dark` class for the effect. */
export function applyTheme(root: HTMLElement, theme: Theme, systemDark: boolean): void {
  root.dataset.theme = theme;
  root.classList.toggle("dark", isDark(theme, systemDark));
}

/**
 * The boot script, run inline in <head> before the body is parsed, so the
 * first paint already has the chosen theme (no flash). It is applyTheme and
 * readTheme in plain ES5 (it cannot import). The root route renders it with
 * the request's CSP nonce (TanStack's ScriptOnce), and it removes itself.
 */
export const THEME_BOOT_SCRIPT = `(function(){var t="system";try{var v=localStorage.getItem(${JSON.stringify(
  THEME_KEY,
)});if(v==="light"||v==="dark"||v==="system")t=v}catch(e){}var r=document.documentElement;r.setAttribute("data-theme",t);var d=t==="dark"||(t==="system"&&!!window.matchMedia&&matchMedia(${JSON.stringify(
  DARK_QUERY,
)}).matches);r.classList.toggle("dark",d)})()`;

/** Whether the system (the OS, or a test's emulated media) prefers dark. */
export function systemPrefersDark(): boolean {
  return typeof matchMedia === "function" && matchMedia(DARK_QUERY).matches;
}

type Listener = () => void;
const listeners = new Set<Listener>();

/**
 * Subscribes to changes of the choice (this tab or another: the storage
 * event) and of the system preference, keeping <html> in step meanwhile.
 * For useSyncExternalStore; returns the unsubscribe.
 */
export function subscribeTheme(listener: Listener): () => void {
  listeners.add(listener);
  if (listeners.size === 1) startWatching();
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) stopWatching();
  };
}

/** The current choice (the snapshot for useSyncExternalStore). */
export function currentTheme(): Theme {
  return chosenHere ?? readTheme(safeLocalStorage());
}

/** Records and applies a new choice, and tells the subscribers. */
export function chooseTheme(theme: Theme): void {
  saveTheme(safeLocalStorage(), theme);
  // A refused save still applies: the class is what this page shows.
  chosenHere = theme;
  applyTheme(document.documentElement, theme, systemPrefersDark());
  for (const listener of listeners) listener();
}

/** The last choice made in this tab, for when storage refused to keep it. */
let chosenHere: Theme | null = null;
let stopWatching: () => void = () => undefined;

function startWatching() {
  const media = matchMedia(DARK_QUERY);
  const refresh = () => {
    const theme = currentTheme();
    applyTheme(document.documentElement, theme, media.matches);
    for (const listener of listeners) listener();
  };
  const onStorage = (event: StorageEvent) => {
    if (event.key !== THEME_KEY && event.key !== null) return;
    chosenHere = null;
    refresh();
  };
  media.addEventListener("change", refresh);
  window.addEventListener("storage", onStorage);
  stopWatching = () => {
    media.removeEventListener("change", refresh);
    window.removeEventListener("storage", onStorage);
  };
}
