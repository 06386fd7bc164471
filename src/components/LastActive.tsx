import { useSyncExternalStore } from "react";
import { fullTime } from "../client/log-dates";

const never = () => () => {};

/**
 * A session's last activity as a full date and time: UTC (en-GB) in the
 * server's HTML, the reader's own zone and locale once hydrated (as
 * MessageTime does), so hydration matches.
 */
export function LastActive({ iso }: { iso: string }) {
  const hydrated = useSyncExternalStore(
    never,
    () => true,
    () => false,
  );
  const zone = hydrated ? Intl.DateTimeFormat().resolvedOptions().timeZone : "UTC";
  return <time dateTime={iso}>{fullTime(iso, zone, hydrated ? undefined : "en-GB")}</time>;
}
