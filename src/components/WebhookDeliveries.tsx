import { isWebhookEvent, WEBHOOK_EVENT_LABELS } from "../core/outgoing-webhooks";

export type Delivery = {
  id: string;
  webhookName: string;
  event: string;
  status: string;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: number;
  nextAttemptAt: number;
  doneAt: number | null;
};

const STATUS_TEXT: Record<string, string> = {
  pending: "Retrying",
  done: "Delivered",
  failed: "Failed",
};

/** The table "Deliveries" (issue 15): newest first, with status, response code and attempts. */
export function DeliveriesTable({ deliveries }: { deliveries: Delivery[] }) {
  if (deliveries.length === 0) {
    return <p className="text-sm text-slate-700">No deliveries yet.</p>;
  }
  return (
    <div className="overflow-x-auto">
      <table aria-label="Deliveries" className="w-full text-left text-sm">
        <thead className="text-slate-700">
          <tr>
            <th scope="col" className="py-1 pr-3 font-medium">
              Webhook
            </th>
            <th scope="col" className="py-1 pr-3 font-medium">
              Event
            </th>
            <th scope="col" className="py-1 pr-3 font-medium">
              Status
            </th>
            <th scope="col" className="py-1 pr-3 font-medium">
              Response code
            </th>
            <th scope="col" className="py-1 pr-3 font-medium">
              Attempts
            </th>
            <th scope="col" className="py-1 font-medium">
              Last try
            </th>
          </tr>
        </thead>
        <tbody>
          {deliveries.map((d) => (
            <tr key={d.id} className="border-t border-slate-200">
              <td className="py-1 pr-3">{d.webhookName}</td>
              <td className="py-1 pr-3">
                {isWebhookEvent(d.event) ? WEBHOOK_EVENT_LABELS[d.event] : d.event}
              </td>
              <td className="py-1 pr-3" title={d.lastError ?? undefined}>
                {STATUS_TEXT[d.status] ?? d.status}
                {d.lastError ? `: ${d.lastError}` : ""}
              </td>
              <td className="py-1 pr-3">{d.lastStatus ?? "—"}</td>
              <td className="py-1 pr-3">{d.attempts}</td>
              <td className="py-1">
                {d.doneAt !== null
                  ? new Date(d.doneAt).toLocaleString()
                  : `next at ${new Date(d.nextAttemptAt).toLocaleString()}`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
