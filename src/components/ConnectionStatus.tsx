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
  reconnecting: "bg-amber-400",
  connected: "bg-emerald-500",
  offline: "bg-slate-400",
  ended: "bg-slate-400",
};

/** The live connection state, announced politely to screen readers. */
export function ConnectionStatus({ status }: { status: Status }) {
  return (
    <div role="status" className="flex items-center gap-1.5 text-xs text-slate-600">
      <span aria-hidden="true" className={`h-2 w-2 rounded-full ${dots[status]}`} />
      {labels[status]}
    </div>
  );
}
