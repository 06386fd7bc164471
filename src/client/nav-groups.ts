// Which sidebar groups ("Rooms", "Direct messages") are collapsed, kept per
// browser in localStorage like the theme: one choice for every account and
// tab of this browser, read after hydration so the server's page (all
// open) and the first client render agree.

/** The sidebar's collapsible groups. */
export const NAV_GROUPS = ["rooms", "dms"] as const;
export type NavGroup = (typeof NAV_GROUPS)[number];

/** The localStorage key: a JSON list of the collapsed groups. */
export const NAV_GROUPS_KEY = "parley.nav.collapsed";

type MaybeStorage = Pick<Storage, "getItem" | "setItem"> | null | undefined;

/** The collapsed groups; none when nothing, bad JSON or unreadable storage is found. */
export function readCollapsed(storage: MaybeStorage): ReadonlySet<NavGroup> {
  try {
    const parsed: unknown = JSON.parse(storage?.getItem(NAV_GROUPS_KEY) ?? "[]");
    if (!Array.isArray(parsed)) return new Set();
    return new Set(NAV_GROUPS.filter((group) => parsed.includes(group)));
  } catch {
    return new Set();
  }
}

/** The set with `group` collapsed or expanded. */
export function withCollapsed(
  collapsed: ReadonlySet<NavGroup>,
  group: NavGroup,
  shut: boolean,
): ReadonlySet<NavGroup> {
  const next = new Set(collapsed);
  if (shut) next.add(group);
  else next.delete(group);
  return next;
}

/** Keeps the choice; false when the browser refused (it then lasts for this page only). */
export function saveCollapsed(storage: MaybeStorage, collapsed: ReadonlySet<NavGroup>): boolean {
  try {
    storage?.setItem(NAV_GROUPS_KEY, JSON.stringify(NAV_GROUPS.filter((g) => collapsed.has(g))));
    return Boolean(storage);
  } catch {
    return false;
  }
}
