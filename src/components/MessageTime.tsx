import { useSyncExternalStore } from "react";

const local = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const localFull = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
// The server does not know the reader's locale or time zone; it renders UTC
// and the browser switches to local time right after hydration, so the
// first client render matches the server's HTML.
const utc = new Intl.DateTimeFormat("en-GB", {
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "UTC",
});

const never = () => () => {};

/** When a message was sent, in the reader's time zone once hydrated. */
export function MessageTime({ iso }: { iso: string }) {
  const hydrated = useSyncExternalStore(
    never,
    () => true,
    () => false,
  );
  const date = new Date(iso);
  return (
    <time
      dateTime={iso}
      title={hydrated ? localFull.format(date) : undefined}
      className="text-xs text-slate-500"
    >
      {hydrated ? local.format(date) : utc.format(date)}
    </time>
  );
}
