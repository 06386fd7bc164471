import type { RoomSummary } from "../protocol/frames";

/** The room's outgoing webhooks and deliveries (issue 15): built in its own part; a placeholder until then. */
export function OutgoingWebhooks({ room }: { room: Pick<RoomSummary, "id" | "name"> }) {
  return (
    <section aria-label="Outgoing webhooks">
      <h3 className="font-semibold">Outgoing webhooks</h3>
      <p className="text-sm text-slate-600">None for #{room.name} yet.</p>
    </section>
  );
}
