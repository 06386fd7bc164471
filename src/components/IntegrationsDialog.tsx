import { useState } from "react";
import type { RoomSummary } from "../protocol/frames";
import { IncomingWebhooks } from "./IncomingWebhooks";
import { Modal } from "./Modal";
import { OutgoingWebhooks } from "./OutgoingWebhooks";

type Room = Pick<RoomSummary, "id" | "name" | "slug" | "kind">;

/**
 * The room header's "Integrations" button (issue 15; moderators and
 * admins, as "Room settings"): a dialog with the room's incoming webhooks
 * (IncomingWebhooks.tsx) and outgoing webhooks with their "Deliveries"
 * (OutgoingWebhooks.tsx).
 */
export function IntegrationsButton({ room }: { room: Room }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        aria-haspopup="dialog"
        onClick={() => setOpen(true)}
        className="rounded-md px-2 py-1 text-sm text-slate-600 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-500"
      >
        Integrations
      </button>
      {open && (
        <Modal title="Integrations" wide onClose={() => setOpen(false)}>
          <div className="flex flex-col gap-6">
            <IncomingWebhooks room={room} />
            <OutgoingWebhooks room={room} />
          </div>
        </Modal>
      )}
    </>
  );
}
