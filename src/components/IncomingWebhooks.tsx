import type { RoomSummary } from "../protocol/frames";

/** The room's incoming webhooks (issue 15): built in its own part; a placeholder until then. */
export function IncomingWebhooks({ room }: { room: Pick<RoomSummary, "id" | "name"> }) {
  return (
    <section aria-label="Incoming webhooks">
      <h3 className="font-semibold">Incoming webhooks</h3>
      <p className="text-sm text-slate-600">None for #{room.name} yet.</p>
    </section>
  );
}
