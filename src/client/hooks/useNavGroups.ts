import { useCallback, useSyncExternalStore } from "react";
import { safeLocalStorage } from "../local-storage";
import { type NavGroup, readCollapsed, saveCollapsed, withCollapsed } from "../nav-groups";

// One snapshot for every RoomNav on the page (the sidebar and the phone
// drawer show the same groups), read from localStorage once, then kept here.
let snapshot: ReadonlySet<NavGroup> | null = null;
const listeners = new Set<() => void>();
const none: ReadonlySet<NavGroup> = new Set();

function current(): ReadonlySet<NavGroup> {
  snapshot ??= readCollapsed(safeLocalStorage());
  return snapshot;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * The collapsed sidebar groups and a setter that remembers the choice in
 * this browser. The server renders every group open (it cannot see
 * localStorage); the stored choice follows at hydration.
 */
export function useNavGroups(): [ReadonlySet<NavGroup>, (group: NavGroup, shut: boolean) => void] {
  const collapsed = useSyncExternalStore(subscribe, current, () => none);
  const set = useCallback((group: NavGroup, shut: boolean) => {
    snapshot = withCollapsed(current(), group, shut);
    saveCollapsed(safeLocalStorage(), snapshot);
    for (const listener of listeners) listener();
  }, []);
  return [collapsed, set];
}
