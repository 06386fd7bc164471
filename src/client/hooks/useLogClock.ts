import { useEffect, useState, useSyncExternalStore } from "react";
import { dayKey } from "../log-dates";

const never = () => () => {};

/**
 * The reader's time zone and "now" for the log's dates. Before hydration it
 * is UTC (the server cannot know the zone, and the first client render must
 * match its HTML); after, the browser's zone. "Now" moves when the day
 * changes, so "Today" becomes "Yesterday" at midnight without a reload.
 */
export function useLogClock(): { zone: string; now: Date } {
  const hydrated = useSyncExternalStore(
    never,
    () => true,
    () => false,
  );
  const zone = hydrated ? Intl.DateTimeFormat().resolvedOptions().timeZone : "UTC";
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => {
      const next = new Date();
      setNow((was) => (dayKey(was, zone) === dayKey(next, zone) ? was : next));
    }, 60_000);
    return () => clearInterval(timer);
  }, [zone]);
  return { zone, now };
}
