import { useSyncExternalStore } from "react";
import { chooseTheme, currentTheme, subscribeTheme, type Theme } from "../theme";

/**
 * The theme choice and its setter. The server (which cannot see
 * localStorage) renders "system"; the browser's snapshot follows at
 * hydration, and while mounted <html> tracks the system preference and
 * choices made in other tabs.
 */
export function useTheme(): [Theme, (theme: Theme) => void] {
  const theme = useSyncExternalStore(subscribeTheme, currentTheme, () => "system" as const);
  return [theme, chooseTheme];
}
