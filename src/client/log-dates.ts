/**
 * Calendar days of the log in the reader's time zone: which day a message
 * belongs to, and what its date divider says. Pure: the zone, "now" and the
 * locale are passed in (the server renders UTC before hydration).
 */

const formatters = new Map<string, Intl.DateTimeFormat>();
/** Intl formatters are costly to build and a log asks hundreds of times: one per shape. */
function formatter(locale: string | undefined, options: Intl.DateTimeFormatOptions) {
  const key = `${locale ?? ""}|${JSON.stringify(options)}`;
  let found = formatters.get(key);
  if (!found) {
    found = new Intl.DateTimeFormat(locale, options);
    formatters.set(key, found);
  }
  return found;
}

const toDate = (at: string | Date) => (typeof at === "string" ? new Date(at) : at);

/** The calendar day of `at` in `zone`, as "YYYY-MM-DD" (sortable, comparable). */
export function dayKey(at: string | Date, zone: string): string {
  const parts = formatter("en-US", {
    timeZone: zone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).formatToParts(toDate(at));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("year")}-${part("month")}-${part("day")}`;
}

/** The day before a "YYYY-MM-DD" key: calendar arithmetic, so a 23- or 25-hour day is still one day. */
export function previousDayKey(key: string): string {
  const [y, m, d] = key.split("-").map(Number);
  const day = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, (d ?? 1) - 1));
  return day.toISOString().slice(0, 10);
}

/**
 * A date divider's words: "Today", "Yesterday", else the weekday and date
 * ("Monday, November 30"), with the year when it is not this year.
 */
export function dayLabel(
  at: string | Date,
  now: Date,
  zone: string,
  locale: string | undefined = undefined,
): string {
  const key = dayKey(at, zone);
  const today = dayKey(now, zone);
  if (key === today) return "Today";
  if (key === previousDayKey(today)) return "Yesterday";
  const sameYear = key.slice(0, 4) === today.slice(0, 4);
  return formatter(locale, {
    timeZone: zone,
    weekday: "long",
    month: "long",
    day: "numeric",
    ...(sameYear ? {} : { year: "numeric" }),
  }).format(toDate(at));
}

/** The full date and time of a message, for its tooltip and for screen readers. */
export function fullTime(at: string | Date, zone: string, locale: string | undefined = undefined) {
  return formatter(locale, { timeZone: zone, dateStyle: "full", timeStyle: "short" }).format(
    toDate(at),
  );
}

/** The short time shown beside a message ("08:09 AM" or "08:09" as the locale writes it). */
export function shortTime(at: string | Date, zone: string, locale: string | undefined = undefined) {
  return formatter(locale, { timeZone: zone, hour: "2-digit", minute: "2-digit" }).format(
    toDate(at),
  );
}
