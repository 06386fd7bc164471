import type { ConnectionStatus as Status } from "../client/socket";

const labels: Record<Status, string> = {
  connecting: "Reconnecting…",
  reconnecting: "Reconnecting…",
  connected: "Connected",
  offline: "Offline",
  ended: "Session ended",
};
const dots: Record<Status, string> = {
  connecting: "bg-amber-400",
  reconnecting: "bg-amber-600",
  connected: "bg-emerald-500",
  offline: "bg-slate-500",
  ended: "bg-slate-500",
};

/**
 * Whether the status shows as the banner: the connection was lost. The
 * first connect of a page load ("connecting", a fraction of a second)
 * stays small, so every page load does not flash a banner.
 */
export function isBanner(status: Status): boolean {
  return status === "reconnecting" || status === "offline" || status === "ended";
}

const inline = "flex items-center gap-1.5 text-xs text-slate-600";
// Under the header, across its full width: the header is `relative` and
// leaves room for it (see RoomHeader). Amber while it retries, grey when
// it cannot (offline, session ended); both AA in light and dark.
const banner =
  "absolute inset-x-0 bottom-0 flex h-9 items-center justify-center gap-2 border-t px-4 text-sm font-semibold";
const bannerColours: Record<Status, string> = {
  connecting: "",
  connected: "",
  reconnecting: "border-amber-300 bg-amber-100 text-amber-950",
  offline: "border-slate-300 bg-slate-200 text-slate-900",
  ended: "border-slate-300 bg-slate-200 text-slate-900",
};

/**
 * The live connection state, announced politely to screen readers. One
 * element in every state (a live region must stay put to be announced):
 * small text when connected, a banner when the connection is lost. It
 * never takes focus.
 */
export function ConnectionStatus({ status }: { status: Status }) {
  const className = isBanner(status) ? `${banner} ${bannerColours[status]}` : inline;
  return (
    <div role="status" className={className}>
      <span aria-hidden="true" className={`h-2 w-2 shrink-0 rounded-full ${dots[status]}`} />
      {labels[status]}
    </div>
  );
}
