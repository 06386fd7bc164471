import { useSyncExternalStore } from "react";
import { fullTime, shortTime } from "../client/log-dates";

const never = () => () => {};

/**
 * When a message was sent: the short time on screen, the full date and
 * time on hover (title) and for screen readers (a visually hidden full
 * form; a title alone is not read out). The server does not know the
 * reader's locale or time zone: it renders UTC (en-GB), and the browser
 * switches to local time right after hydration, so the first client
 * render matches the server's HTML.
 */
export function MessageTime({ iso, className = "" }: { iso: string; className?: string }) {
  const hydrated = useSyncExternalStore(
    never,
    () => true,
    () => false,
  );
  const zone = hydrated ? Intl.DateTimeFormat().resolvedOptions().timeZone : "UTC";
  const locale = hydrated ? undefined : "en-GB";
  const full = fullTime(iso, zone, locale);
  return (
    // The title comes only after hydration: tests take it as the sign that hydration is over.
    <time
      dateTime={iso}
      title={hydrated ? full : undefined}
      className={`text-xs text-slate-500 ${className}`}
    >
      <span aria-hidden="true">{shortTime(iso, zone, locale)}</span>
      <span className="sr-only">{full}</span>
    </time>
  );
}
